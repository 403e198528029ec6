package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.graph.TaskGraph;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Each construct outside the kernel subset is refused when the task is added, with one line
 * naming the class, the method, {@code File.java:LINE} and the construct ({@link RefusedKernels}:
 * the line is the one marked {@code REFUSED:tag} in its source).
 */
class JitRefusalTest {
    static final String CLASS = RefusedKernels.class.getName();

    static int line(String tag) throws IOException {
        List<String> lines = Files.readAllLines(Path.of("src/test/java/ditvm/jit/RefusedKernels.java"));
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).endsWith("// REFUSED:" + tag)) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line tagged REFUSED:" + tag);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            allocation           | new         | allocation           | object allocation (new)
            throwing             | throw       | throwing             | throwing an exception
            tryCatch             | try         | tryCatch             | try/catch
            synchronizedMethod   | syncmethod  | synchronizedMethod   | synchronized method
            synchronizedBlock    | syncblock   | synchronizedBlock    | synchronized block
            instanceField        | getfield    | instanceField        | instance field
            readNonFinalStatic   | getstatic   | readNonFinalStatic   | static field ditvm.jit.RefusedKernels.counter
            writeNonFinalStatic  | putstatic   | writeNonFinalStatic  | writing the static field ditvm.jit.RefusedKernels.counter
            interfaceCall        | interface   | interfaceCall        | interface call ditvm.memory.DeviceArray.length
            listCall             | list        | listCall             | java.util.List.of
            virtualCall          | virtual     | virtualCall          | FloatArray.toArray
            string               | string      | string               | a string
            directRecursion      | recursion   | factorial            | recursion
            mutualRecursion      | mutual      | odd                  | recursion
            lambda               | lambda      | lambda               | invokedynamic
            parallelBreak        | break       | parallelBreak        | break or return inside a @Parallel loop
            nonConstantArraySize | arraysize   | nonConstantArraySize | the size must be a positive constant
            doubleArray          | doublearray | doubleArray          | an array of double
            objectArray          | objectarray | objectArray          | multi-dimensional array
            """)
    void refusedWithClassMethodLineAndConstruct(String kernel, String tag, String method, String construct) throws IOException {
        String where = CLASS + "." + method + " (RefusedKernels.java:" + line(tag) + ")";
        assertThatThrownBy(() -> JavaKernel.of(JitRun.method(RefusedKernels.class, kernel)))
                .isInstanceOf(KernelCompileException.class)
                .hasMessageStartingWith(where + ": ")
                .hasMessageContaining(construct)
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void taskNamesGraphAndTaskWhenTheMethodIsRefused() throws IOException {
        try (IntArray out = new IntArray(1)) {
            assertThatThrownBy(() -> new TaskGraph("graph1").task("alloc", RefusedKernels::allocation, out))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageStartingWith("graph graph1, task alloc: " + CLASS + ".allocation (RefusedKernels.java:"
                            + line("new") + "): object allocation (new)");
        }
    }

    @Test
    void wrongArgumentCountNamesGraphTaskAndCounts() {
        try (FloatArray x = new FloatArray(4); FloatArray y = new FloatArray(4)) {
            assertThatThrownBy(() -> new TaskGraph("graph1").task("saxpy", JitRun.kernel(RefusedKernels.class, "saxpy"), x, y, 2f))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task graph1.saxpy")
                    .hasMessageContaining(CLASS + ".saxpy")
                    .hasMessageContaining("expected 4 arguments, given 3");
        }
    }

    @Test
    void wrongArgumentTypeNamesGraphTaskParameterAndBothTypes() {
        try (FloatArray x = new FloatArray(4); FloatArray y = new FloatArray(4); IntArray wrong = new IntArray(4)) {
            assertThatThrownBy(() -> new TaskGraph("graph1").task("saxpy", JitRun.kernel(RefusedKernels.class, "saxpy"), x, y, 2.0, 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task graph1.saxpy")
                    .hasMessageContaining("parameter 2 'alpha' is float, given Double 2.0");
            assertThatThrownBy(() -> new TaskGraph("graph1").task("saxpy", JitRun.kernel(RefusedKernels.class, "saxpy"), x, wrong, 2f, 4))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("task graph1.saxpy")
                    .hasMessageContaining("parameter 1 'y' is FloatArray, given IntArray");
        }
    }
}
