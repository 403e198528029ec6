package ditvm.opencl;

import ditvm.device.DeviceException;

/** An OpenCL call that returned an error: the call, the error's name and code. */
public final class OpenCLException extends DeviceException {
    private final int status;

    public OpenCLException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
