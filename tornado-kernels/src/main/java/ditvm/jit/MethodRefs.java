package ditvm.jit;

import ditvm.api.Tasks;
import java.lang.invoke.MethodType;
import java.lang.invoke.SerializedLambda;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * The method behind a task's method reference ({@code MyKernels::saxpy}): the functional
 * interfaces of {@link Tasks} are Serializable, so the reference's {@link SerializedLambda}
 * names the implementation class, method and descriptor.
 */
public final class MethodRefs {
    private MethodRefs() {
    }

    public static Method method(Tasks.TaskMethod ref) {
        SerializedLambda lambda;
        try {
            Method writeReplace = ref.getClass().getDeclaredMethod("writeReplace");
            writeReplace.setAccessible(true);
            lambda = (SerializedLambda) writeReplace.invoke(ref);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalArgumentException("a task takes a method reference such as MyKernels::method, given "
                    + ref.getClass().getName(), e);
        }
        if (lambda.getImplMethodKind() != java.lang.invoke.MethodHandleInfo.REF_invokeStatic
                || lambda.getImplMethodName().startsWith("lambda$")) {
            throw new IllegalArgumentException("a task takes a reference to a public static void method "
                    + "(MyKernels::method), not a lambda or an instance method: given " + lambda.getImplClass().replace('/', '.')
                    + "." + lambda.getImplMethodName());
        }
        ClassLoader loader = ref.getClass().getClassLoader();
        try {
            Class<?> owner = Class.forName(lambda.getImplClass().replace('/', '.'), false, loader);
            MethodType type = MethodType.fromMethodDescriptorString(lambda.getImplMethodSignature(), loader);
            Method m = owner.getDeclaredMethod(lambda.getImplMethodName(), type.parameterArray());
            if (!Modifier.isPublic(m.getModifiers()) || !Modifier.isStatic(m.getModifiers()) || m.getReturnType() != void.class) {
                throw new IllegalArgumentException("kernel " + owner.getName() + "." + m.getName()
                        + " must be a public static void method");
            }
            return m;
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException("cannot find the method of " + lambda.getImplClass() + "::"
                    + lambda.getImplMethodName(), e);
        }
    }
}
