package ditvm.kernels;

/** Scalar activations shared by the Java references, in float32 as the kernels compute them. */
public final class Activations {
    private static final float SQRT_2_OVER_PI = 0.7978845608028654f;

    private Activations() {
    }

    /** GELU, tanh approximation: 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
    public static float geluTanh(float x) {
        return 0.5f * x * (1f + (float) Math.tanh(SQRT_2_OVER_PI * (x + 0.044715f * x * x * x)));
    }

    /** SiLU: x * sigmoid(x). */
    public static float silu(float x) {
        return x / (1f + (float) Math.exp(-x));
    }
}
