package ditvm.testing;

import static org.junit.jupiter.api.Assertions.fail;

import ditvm.device.Device;
import ditvm.device.Devices;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The devices tests run on: {@code java} and every OpenCL device present. With
 * {@code -Dditvm.requireOpenCL=1} (set by CI through REQUIRE_OPENCL=1) a missing OpenCL device
 * fails the test instead of leaving it to the java device alone.
 */
public final class TestDevices {

    private TestDevices() {
    }

    public static boolean requireOpenCL() {
        String v = System.getProperty("ditvm.requireOpenCL", "");
        return v.equals("1") || v.equalsIgnoreCase("true");
    }

    /** Every device: java first, then OpenCL devices. */
    public static Stream<Device> all() {
        List<Device> out = new ArrayList<>(Devices.all());
        checkOpenCL();
        return out.stream();
    }

    /** OpenCL devices only; empty (tests skip) unless OpenCL is required, then a failure. */
    public static Stream<Device> openCL() {
        checkOpenCL();
        return Devices.openCL().stream();
    }

    private static void checkOpenCL() {
        if (requireOpenCL() && Devices.openCL().isEmpty()) {
            fail("REQUIRE_OPENCL=1 but no OpenCL device was found");
        }
    }
}
