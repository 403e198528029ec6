package ditvm.cuda;

import ditvm.device.DeviceException;

/** A CUDA driver call that returned an error: the call, the CUresult's name, code and description. */
public final class CudaException extends DeviceException {
    private final int status;

    public CudaException(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
