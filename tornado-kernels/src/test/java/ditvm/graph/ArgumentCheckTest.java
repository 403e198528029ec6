package ditvm.graph;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.kernels.Gemm;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import org.junit.jupiter.api.Test;

/** Arguments are checked when the task is added, naming task, parameter, expected and given. */
class ArgumentCheckTest {

    @Test
    void wrongCount() {
        try (FloatArray x = new FloatArray(4)) {
            assertThatThrownBy(() -> new TaskGraph("g").task("t", Kernels.AXPY, x, x, 1f))
                    .hasMessageContaining("task g.t (kernel axpy)")
                    .hasMessageContaining("expected 4 arguments")
                    .hasMessageContaining("given 3");
        }
    }

    @Test
    void wrongType() {
        try (FloatArray x = new FloatArray(4); IntArray i = new IntArray(4)) {
            assertThatThrownBy(() -> new TaskGraph("g").task("t", Kernels.AXPY, x, i, 1f, 4))
                    .hasMessageContaining("parameter 1 'y' expects FloatArray, given IntArray");
            assertThatThrownBy(() -> new TaskGraph("g").task("t", Kernels.AXPY, x, x, 1.0, 4))
                    .hasMessageContaining("'alpha' expects float, given Double");
        }
    }

    @Test
    void arrayTooSmallForTheDeclaredSizes() {
        try (FloatArray a = new FloatArray(6 * 5); FloatArray w = new FloatArray(32 * 5);
             FloatArray b = new FloatArray(7); FloatArray out = new FloatArray(6 * 7 - 1)) {
            Gemm gemm = Kernels.gemm(Gemm.Impl.TILED, Gemm.Epilogue.NONE);
            assertThatThrownBy(() -> new TaskGraph("g").task("gemm", gemm, a, w, b, out, 6, 7, 5))
                    .hasMessageContaining("task g.gemm")
                    .hasMessageContaining("parameter 'out' needs at least 42 elements")
                    .hasMessageContaining("given an array of 41");
        }
    }

    @Test
    void packedWeightsTooShort() {
        try (FloatArray a = new FloatArray(6 * 5); FloatArray w = new FloatArray(7 * 5);
             FloatArray b = new FloatArray(7); FloatArray out = new FloatArray(6 * 7)) {
            Gemm gemm = Kernels.gemm(Gemm.Impl.CPU, Gemm.Epilogue.NONE);
            // N = 7 packs into one zero-padded panel of 32 columns: 32 * 5 = 160 elements.
            assertThatThrownBy(() -> new TaskGraph("g").task("gemm", gemm, a, w, b, out, 6, 7, 5))
                    .hasMessageContaining("parameter 'Wp' needs at least 160 elements");
        }
    }

    @Test
    void duplicateTaskAndUnderDemandToDevice() {
        try (FloatArray x = new FloatArray(4)) {
            TaskGraph g = new TaskGraph("g").task("t", Kernels.AXPY, x, x, 1f, 4);
            assertThatThrownBy(() -> g.task("t", Kernels.AXPY, x, x, 1f, 4)).hasMessageContaining("already has a task 't'");
            assertThatThrownBy(() -> g.transferToDevice(DataTransferMode.UNDER_DEMAND, x)).hasMessageContaining("UNDER_DEMAND");
        }
    }
}
