package ditvm.device;

/**
 * What `ditvm devices` shows of a device; sizes in bytes. {@code floatVectorWidth}: floats per
 * native vector register (OpenCL's CL_DEVICE_NATIVE_VECTOR_WIDTH_FLOAT: 8 for AVX2, 16 for
 * AVX-512; 1 where the kernels' vectors are lane-by-lane), which sizes the CPU GEMM's tile.
 */
public record DeviceInfo(String id, String name, String vendor, DeviceType type, String driver,
                         int computeUnits, long globalMemBytes, long localMemBytes, long maxWorkGroupSize,
                         String extra, int floatVectorWidth) {
}
