package ditvm.device;

/** A kernel that did not compile for a device: the message carries the kernel name and the full build log. */
public final class KernelBuildException extends DeviceException {
    private final String buildLog;

    public KernelBuildException(String kernel, String device, String buildLog) {
        super("kernel " + kernel + " failed to build for " + device + "; build log:\n" + buildLog);
        this.buildLog = buildLog;
    }

    public String buildLog() {
        return buildLog;
    }
}
