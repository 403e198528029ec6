package ditvm.kernels;

import java.util.EnumMap;
import java.util.Map;

/** The kernel set, one shared descriptor instance each (kernels are stateless). */
public final class Kernels {
    public static final Axpy AXPY = new Axpy();

    private static final Map<Gemm.Impl, Map<Gemm.Epilogue, Gemm>> GEMMS = new EnumMap<>(Gemm.Impl.class);

    static {
        for (Gemm.Impl impl : Gemm.Impl.values()) {
            Map<Gemm.Epilogue, Gemm> byEpilogue = new EnumMap<>(Gemm.Epilogue.class);
            for (Gemm.Epilogue e : Gemm.Epilogue.values()) {
                byEpilogue.put(e, new Gemm(impl, e));
            }
            GEMMS.put(impl, byEpilogue);
        }
    }

    private Kernels() {
    }

    public static Gemm gemm(Gemm.Impl impl, Gemm.Epilogue epilogue) {
        return GEMMS.get(impl).get(epilogue);
    }
}
