package ditvm.device;

/** What kind of processor a device is; kernels pick their variant by it. */
public enum DeviceType {
    CPU, GPU, ACCELERATOR, JAVA;

    /**
     * Whether this device runs the CPU sources (OpenCL C with float16 vectors and work-groups of
     * one, tuned for PoCL) rather than the portable ones (GPUs, FPGAs and other accelerators).
     * The java device runs the Java references, which both share.
     */
    public boolean runsCpuKernels() {
        return this == CPU || this == JAVA;
    }
}
