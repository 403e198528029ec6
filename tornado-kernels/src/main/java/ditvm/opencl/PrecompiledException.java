package ditvm.opencl;

import ditvm.device.DeviceException;

/**
 * A precompiled-programs folder that cannot serve a kernel: missing manifest or kernel, a
 * manifest for another device or driver, a binary whose checksum fails, a launch with another
 * work-group size than the binary was compiled for. Nothing falls back to compiling from source.
 */
public final class PrecompiledException extends DeviceException {
    public PrecompiledException(String message) {
        super(message);
    }

    public PrecompiledException(String message, Throwable cause) {
        super(message, cause);
    }
}
