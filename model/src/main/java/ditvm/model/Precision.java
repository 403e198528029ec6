package ditvm.model;

/**
 * Number format of the GEMMs' operands. FP32 is the default and the reference; BF16 rounds
 * weights and activations to bfloat16 inside the GEMMs with fp32 accumulation (tensor cores,
 * CUDA sm_80+; the java device runs its reference), everything else stays fp32.
 */
public enum Precision {
    FP32, BF16;

    public static Precision parse(String s) {
        for (Precision p : values()) {
            if (p.name().equalsIgnoreCase(s == null ? "" : s.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown precision '" + s + "': expected fp32 or bf16");
    }

    public String cliName() {
        return name().toLowerCase();
    }
}
