package ditvm.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks the induction variable of a loop whose iterations are independent, as in TornadoVM:
 * {@code for (@Parallel int i = 0; i < n; i++)}. Up to three nested annotated loops become the
 * NDRange of the task (the innermost is dimension 0); the start and step are constants, the
 * bound an int parameter, a constant or a parameter array's {@code length()}.
 */
@Target(ElementType.TYPE_USE)
@Retention(RetentionPolicy.RUNTIME)
public @interface Parallel {
}
