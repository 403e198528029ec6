package ditvm.device;

/** A device or driver failure: what was attempted, on which device, and the driver's error. */
public class DeviceException extends RuntimeException {
    public DeviceException(String message) {
        super(message);
    }

    public DeviceException(String message, Throwable cause) {
        super(message, cause);
    }
}
