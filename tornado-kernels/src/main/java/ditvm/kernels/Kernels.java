package ditvm.kernels;

/** The kernel set, one shared descriptor instance each (kernels are stateless). */
public final class Kernels {
    public static final Axpy AXPY = new Axpy();
    public static final GemmTiled GEMM_TILED = new GemmTiled();

    private Kernels() {
    }
}
