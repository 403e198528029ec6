package ditvm.check;

import ditvm.device.Device;
import ditvm.device.DeviceType;
import ditvm.device.Devices;
import ditvm.kernel.RelativeError;
import ditvm.kernels.Gemm;
import ditvm.kernels.GemmWeights;
import ditvm.kernels.Kernels;
import ditvm.kernels.PackRows;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.plan.OneTask;
import ditvm.model.Precision;
import ditvm.model.fixtures.ReferenceFixtures;
import ditvm.model.graph.DiTForward;
import ditvm.model.weights.DiTWeights;
import ditvm.model.weights.SafeTensors;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The correctness checks a device must pass before its timings mean anything, runnable where
 * no test suite is (the GPU bundle): the core kernels against their Java references on awkward
 * shapes, and every model variant against the PyTorch fixtures (plain, both guidance rules,
 * and bf16 where the device runs it); the sampler's kernels and full sampling runs against the
 * float64 sampler fixtures ({@link SamplerCheck}).
 */
public final class SelfCheck {
    static final double FP32 = 1e-4;
    static final double BF16 = 1e-2;

    /** One check: what, its error, the bound. */
    public record Result(String check, double error, double tolerance) {
        public boolean passed() {
            return error <= tolerance;
        }
    }

    private SelfCheck() {
    }

    public static List<Result> run(Device device, Path fixtures, Consumer<Result> progress) {
        List<Result> results = new ArrayList<>();
        Consumer<Result> add = r -> {
            results.add(r);
            progress.accept(r);
        };
        kernels(device, add);
        List<ReferenceFixtures.Fixture> all = ReferenceFixtures.read(fixtures);
        models(device, all, add);
        SamplerCheck.run(device, fixtures, all, add);
        return results;
    }

    private static void kernels(Device device, Consumer<Result> add) {
        Device java = Devices.get("java");
        DeviceType type = device.info().type();
        List<DeviceArray> owned = new ArrayList<>();
        try {
            // GEMM: M, N, K primes, no multiple of any tile; three samples for the gated epilogue.
            int m = 69, n = 131, k = 97, rows = 23;
            FloatArray a = random(owned, 1, m * k), wp = own(owned, GemmWeights.pack(random(owned, 2, n * k), n, k));
            FloatArray bias = random(owned, 3, n), out = random(owned, 4, m * n), gate = random(owned, 5, 3 * 2 * n);
            FloatArray in = a;
            if (Gemm.forDevice(device.info(), Gemm.Epilogue.NONE).packsA()) {
                // the GEMM reads A packed in 6-row panels: check the packing, then pack on the java device for the GEMM checks
                in = own(owned, new FloatArray(PackRows.packedLength(m, k)));
                Object[] pack = {a, in, m, k};
                check(add, new KernelCheck("pack_rows 69x97", Kernels.PACK_ROWS, pack, 1), device, java, FP32);
                OneTask.run(java, in, Kernels.PACK_ROWS, pack);
            }
            for (Gemm.Epilogue e : Gemm.Epilogue.values()) {
                Gemm g = Gemm.forDevice(device.info(), e);
                Object[] args = e == Gemm.Epilogue.GATED_RESIDUAL
                        ? new Object[] {in, wp, bias, out, m, n, k, gate, 2 * n, n, rows}
                        : new Object[] {in, wp, bias, out, m, n, k};
                check(add, new KernelCheck(g.name() + " 69x131x97", g, args, 3), device, java, FP32);
            }
            // Attention: T = 67 tokens, 3 heads of 72 (DiT-XL's head size).
            int b = 2, t = 67, h = 3, hd = 72;
            FloatArray qkv = random(owned, 6, b * t * 3 * h * hd), att = own(owned, new FloatArray((long) b * t * h * hd));
            var attention = type.runsCpuKernels() ? Kernels.ATTENTION_CPU : Kernels.ATTENTION;
            check(add, new KernelCheck("attention T=67 H=3 hd=72", attention,
                    new Object[] {qkv, att, b, t, h, hd, (float) (1 / Math.sqrt(hd))}, 1), device, java, FP32);
            FloatArray kv = random(owned, 7, b * 2 * 2 * h * hd);
            check(add, new KernelCheck("cross_attention T=67 S=2", Kernels.CROSS_ATTENTION,
                    new Object[] {qkv, kv, att, b, t, 2, h, hd, (float) (1 / Math.sqrt(hd))}, 2), device, java, FP32);
            // LayerNorm over D = 97 with adaLN modulation, and affine.
            int d = 97;
            FloatArray x = random(owned, 8, b * t * d), mod = random(owned, 9, b * 6 * d), gamma = random(owned, 10, d);
            FloatArray beta = random(owned, 11, d), y = own(owned, new FloatArray((long) b * t * d));
            var ln = type.runsCpuKernels() ? Kernels.LAYERNORM_MODULATE_CPU : Kernels.LAYERNORM_MODULATE;
            check(add, new KernelCheck("layernorm_modulate D=97", ln,
                    new Object[] {x, gamma, beta, mod, y, b, t, d, 1e-6f, 0, 1, 6 * d, 3 * d, 4 * d}, 4), device, java, FP32);
            check(add, new KernelCheck("layernorm affine D=97", ln,
                    new Object[] {x, gamma, beta, mod, y, b, t, d, 1e-6f, 1, 0, 6 * d, 0, 0}, 4), device, java, FP32);
            SamplerCheck.kernels(device, java, owned, c -> check(add, c, device, java, FP32));
        } finally {
            owned.forEach(DeviceArray::close);
        }
    }

    private static void check(Consumer<Result> add, KernelCheck c, Device device, Device java, double tol) {
        add.accept(new Result("kernel " + c.name(), c.relativeError(device, java), tol));
    }

    private static void models(Device device, List<ReferenceFixtures.Fixture> fixtures, Consumer<Result> add) {
        boolean bf16 = device.info().type() == DeviceType.JAVA || device.id().startsWith("cuda:");
        for (ReferenceFixtures.Fixture f : fixtures) {
            if (f.officialInit()) {
                continue;
            }
            try (DiTWeights w = DiTWeights.load(f.weights(), f.config(), f.variant()); SafeTensors io = SafeTensors.open(f.io())) {
                float[] x = io.toFloats("x"), t = io.toFloats("t");
                int[] y = io.labels("y");
                add.accept(model(w, f, device, Precision.FP32, null, x, t, y, io.toFloats("out"), "", FP32));
                add.accept(model(w, f, device, Precision.FP32, new DiTForward.Guidance(f.cfgScale(), f.cfgGuidedChannels()),
                        x, t, y, io.toFloats("cfg_out"), " cfg (3 channels)", FP32));
                add.accept(model(w, f, device, Precision.FP32, new DiTForward.Guidance(f.cfgScale(), f.config().outChannels()),
                        x, t, y, io.toFloats("cfg_out_all"), " cfg (all channels)", FP32));
                if (bf16) {
                    add.accept(model(w, f, device, Precision.BF16, null, x, t, y, io.toFloats("out"), " bf16", BF16));
                }
            }
        }
    }

    private static Result model(DiTWeights w, ReferenceFixtures.Fixture f, Device device, Precision p,
                                DiTForward.Guidance g, float[] x, float[] t, int[] y, float[] ref, String what, double tol) {
        try (DiTForward forward = DiTForward.build(w, f.batch(), device, p, g)) {
            return new Result("model " + f.name() + what + " vs PyTorch", RelativeError.of(forward.forward(x, t, y), ref), tol);
        }
    }

    static FloatArray random(List<DeviceArray> owned, long seed, int n) {
        return own(owned, new FloatArray(n).fillUniform(seed));
    }

    static <A extends DeviceArray> A own(List<DeviceArray> owned, A a) {
        owned.add(a);
        return a;
    }
}
