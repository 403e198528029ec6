package ditvm.device.java;

import ditvm.device.Device;
import ditvm.device.DeviceInfo;
import ditvm.device.DeviceSession;
import ditvm.device.DeviceType;
import java.util.concurrent.ForkJoinPool;

/**
 * The reference device: runs each kernel's Java reference, split over the kernel's
 * independent units on a fork-join pool. It keeps its own copy of every array ("device
 * memory"), so transfer semantics are the same as on a real device.
 */
public final class JavaDevice implements Device {
    public static final String ID = "java";
    /** Vectors run lane by lane in the JVM; the 16-lane tiles do fewer loop trips per element there. */
    private static final int JVM_VECTOR_WIDTH = 16;

    private final ForkJoinPool pool;
    private final DeviceInfo info;

    public JavaDevice() {
        int threads = Runtime.getRuntime().availableProcessors();
        this.pool = new ForkJoinPool(threads, ForkJoinPool.defaultForkJoinWorkerThreadFactory, null, false);
        this.info = new DeviceInfo(ID, "Java reference (" + threads + " threads)",
                System.getProperty("java.vendor"), DeviceType.JAVA, "Java " + Runtime.version(), threads,
                Runtime.getRuntime().maxMemory(), 0, 1, "", JVM_VECTOR_WIDTH);
    }

    @Override
    public DeviceInfo info() {
        return info;
    }

    @Override
    public DeviceSession openSession() {
        return new JavaSession(pool);
    }
}
