package ditvm.device;

/** What kind of processor a device is; kernels pick their variant by it. */
public enum DeviceType { CPU, GPU, ACCELERATOR, JAVA }
