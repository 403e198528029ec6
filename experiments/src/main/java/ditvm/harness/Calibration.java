package ditvm.harness;

import ditvm.bench.KernelBench;
import ditvm.device.Device;
import ditvm.device.DeviceType;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.PackRows;
import ditvm.memory.FloatArray;

/**
 * A device's peak as ditvm sees it: the GFLOP/s of its own GEMM on one shape, measured in the
 * same run as the model (DiT's MLP shape on CPUs, a large square on GPUs, small on the java
 * device so it stays quick).
 */
public final class Calibration {

    public record Result(String device, int m, int n, int k, double gflopsPerSecond, double medianMs) {
    }

    private Calibration() {
    }

    public static Result measure(Device device) {
        DeviceType type = device.info().type();
        int[] s = switch (type) {
            case GPU -> new int[] {4096, 4096, 4096};
            case JAVA -> new int[] {256, 1152, 384};
            default -> new int[] {2048, 1152, 384};
        };
        int m = s[0], n = s[1], k = s[2];
        try (FloatArray a = new FloatArray((long) m * k).fillUniform(1); FloatArray w = new FloatArray((long) n * k).fillUniform(2);
             FloatArray b = new FloatArray(n).fillUniform(3); FloatArray out = new FloatArray((long) m * n);
             FloatArray wp = GemmWeights.pack(w, n, k)) {
            Gemm gemm = Gemm.forDevice(device.info(), Gemm.Epilogue.NONE); // with its packing pass where it has one
            TaskGraph g = new TaskGraph("calibration").transferToDevice(DataTransferMode.FIRST_EXECUTION, a, wp, b);
            FloatArray[] scratch = new FloatArray[1];
            try {
                FloatArray in = gemm.input(g, "pack", a, () -> scratch[0] = new FloatArray(PackRows.packedLength(m, k)), m, k);
                g.task("gemm", gemm, in, wp, b, out, m, n, k);
                KernelBench.Result r = KernelBench.run(g.snapshot(), device, 3, type == DeviceType.JAVA ? 3 : 10);
                return new Result(device.id(), m, n, k, r.gflopsPerSecond(), r.kernelSeconds().median() * 1e3);
            } finally {
                if (scratch[0] != null) {
                    scratch[0].close();
                }
            }
        }
    }

}
