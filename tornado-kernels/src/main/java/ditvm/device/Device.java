package ditvm.device;

/**
 * A place kernels run. A device lives for the process (it holds the driver context and the
 * program cache); each execution plan opens its own {@link DeviceSession}, which owns the
 * plan's device memory and is closed with it.
 */
public interface Device {

    DeviceInfo info();

    default String id() {
        return info().id();
    }

    DeviceSession openSession();
}
