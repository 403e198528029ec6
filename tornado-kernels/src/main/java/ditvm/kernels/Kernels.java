package ditvm.kernels;

import java.util.EnumMap;
import java.util.Map;

/** The kernel set, one shared descriptor instance each (kernels are stateless). */
public final class Kernels {
    public static final Axpy AXPY = new Axpy();
    public static final LayerNormModulate LAYERNORM_MODULATE = LayerNormModulate.portable();
    public static final LayerNormModulate LAYERNORM_MODULATE_CPU = LayerNormModulate.cpu();
    public static final Elementwise SILU = Elementwise.silu();
    public static final Elementwise ADD = Elementwise.add();
    public static final Elementwise GELU_TANH = Elementwise.geluTanh();
    public static final Elementwise COPY = Elementwise.copy();
    public static final Elementwise SILU_CPU = SILU.cpu();
    public static final Elementwise ADD_CPU = ADD.cpu();
    public static final Elementwise GELU_TANH_CPU = GELU_TANH.cpu();
    public static final Elementwise COPY_CPU = COPY.cpu();
    public static final Attention ATTENTION = Attention.portable();
    public static final Attention ATTENTION_CPU = Attention.cpu();
    public static final CrossAttention CROSS_ATTENTION = new CrossAttention();
    public static final Patchify PATCHIFY = new Patchify();
    public static final AddPosEmbed ADD_POS_EMBED = new AddPosEmbed();
    public static final TimestepEmbed TIMESTEP_EMBED = new TimestepEmbed();
    public static final LabelGather LABEL_GATHER = new LabelGather();
    public static final AppendTokens APPEND_TOKENS = new AppendTokens();
    public static final DropTokens DROP_TOKENS = new DropTokens();
    public static final Unpatchify UNPATCHIFY = new Unpatchify();
    public static final CfgCombine CFG_COMBINE = new CfgCombine();
    public static final PhiloxNormal PHILOX_NORMAL = new PhiloxNormal();
    public static final SampleInput SAMPLE_INPUT = new SampleInput();
    public static final SamplerStep SAMPLER_STEP = new SamplerStep();
    public static final StepAdvance STEP_ADVANCE = new StepAdvance();
    public static final PackRows PACK_ROWS = new PackRows();

    private static final Map<Gemm.Epilogue, GemmBf16> GEMMS_BF16 = new EnumMap<>(Gemm.Epilogue.class);
    private static final Map<Gemm.Impl, Map<Gemm.Epilogue, Gemm>> GEMMS = new EnumMap<>(Gemm.Impl.class);

    static {
        for (Gemm.Impl impl : Gemm.Impl.values()) {
            Map<Gemm.Epilogue, Gemm> byEpilogue = new EnumMap<>(Gemm.Epilogue.class);
            for (Gemm.Epilogue e : Gemm.Epilogue.values()) {
                byEpilogue.put(e, new Gemm(impl, e));
            }
            GEMMS.put(impl, byEpilogue);
        }
        for (Gemm.Epilogue e : Gemm.Epilogue.values()) {
            GEMMS_BF16.put(e, new GemmBf16(e));
        }
    }

    private Kernels() {
    }

    public static Gemm gemm(Gemm.Impl impl, Gemm.Epilogue epilogue) {
        return GEMMS.get(impl).get(epilogue);
    }

    /** The bf16 tensor-core GEMM (CUDA sm_80+ only): the reduced-precision option, never the default. */
    public static GemmBf16 gemmBf16(Gemm.Epilogue epilogue) {
        return GEMMS_BF16.get(epilogue);
    }
}
