package ditvm.device;

import ditvm.kernel.Args;
import ditvm.kernel.Kernel;
import ditvm.kernel.Launch;
import ditvm.memory.DeviceArray;

/**
 * One plan's view of a device: its buffers, its compiled kernels and a queue. Operations are
 * enqueued in order; {@link #finish()} waits for all of them, after which the {@link Timer}s
 * they returned are readable. Not thread-safe: the plan serialises its use.
 */
public interface DeviceSession extends AutoCloseable {

    /** A device buffer of {@code host}'s size, zero-filled. */
    DeviceBuffer allocate(DeviceArray host);

    Timer copyIn(DeviceBuffer buffer, DeviceArray host, boolean timed);

    Timer copyOut(DeviceBuffer buffer, DeviceArray host, boolean timed);

    /** Builds (or takes from the device's cache) the kernel; throws {@link KernelBuildException} with the log. */
    CompiledKernel compile(Kernel kernel, boolean printSource);

    /**
     * Launches {@code kernel}; {@code args} are the task's arguments with every array replaced by
     * its {@link DeviceBuffer}.
     */
    Timer launch(CompiledKernel kernel, Args args, Launch launch, boolean timed);

    void finish();

    /** Frees every buffer and kernel of the session. */
    @Override
    void close();

    /** A device allocation, owned by its session. */
    interface DeviceBuffer {
        long byteSize();

        /** Elements of the host array it mirrors. */
        long length();
    }

    /** A kernel ready to launch in this session; {@code compileNanos} is 0 on a cache hit. */
    interface CompiledKernel {
        Kernel kernel();

        long compileNanos();
    }

    /** Duration of one enqueued operation in ns; readable after {@link #finish()}, 0 when untimed. */
    @FunctionalInterface
    interface Timer {
        Timer NONE = () -> 0;

        long nanos();
    }
}
