package ditvm.plan;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.ImmutableTaskGraph;
import ditvm.graph.TaskGraph;
import ditvm.kernels.Kernels;
import ditvm.memory.FloatArray;
import ditvm.testing.TestDevices;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Native memory ownership and concurrent use of one plan. */
class PlanLifecycleTest {

    static Stream<Device> devices() {
        return TestDevices.all();
    }

    /** Resident set size of this process in KiB, from /proc/self/status. */
    static long rssKiB() throws Exception {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS in /proc/self/status");
    }

    private static void cycle(Device device, FloatArray x, FloatArray y, int n) {
        ImmutableTaskGraph g = new TaskGraph("leak")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, y)
                .task("axpy", Kernels.AXPY, x, y, 1f, n)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, y)
                .snapshot();
        try (ExecutionPlan plan = new ExecutionPlan(g).withDevice(device)) {
            plan.execute();
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void twoThousandPlanCyclesDoNotGrowNativeMemory(Device device) throws Exception {
        int n = 64 * 1024; // 256 KiB per device buffer: a leak of 2 buffers per cycle would be ~1 GB
        try (FloatArray x = new FloatArray(n); FloatArray y = new FloatArray(n)) {
            for (int i = 0; i < 1000; i++) {
                cycle(device, x, y, n); // warm up: malloc arenas of the driver's threads, program cache, JIT
            }
            System.gc();
            long before = rssKiB();
            long heapBefore = Runtime.getRuntime().totalMemory() / 1024;
            for (int i = 0; i < 2000; i++) {
                cycle(device, x, y, n);
            }
            System.gc();
            long after = rssKiB();
            long heapAfter = Runtime.getRuntime().totalMemory() / 1024;
            // Native memory: the RSS change less what the Java heap committed or gave back meanwhile.
            long growth = (after - before) - (heapAfter - heapBefore);
            System.out.printf("plan cycles on %s: RSS %d KiB -> %d KiB, heap %d -> %d KiB: native %+d KiB over 2000 cycles%n",
                    device.id(), before, after, heapBefore, heapAfter, growth);
            // A leaked pair of buffers per cycle would add 2000 * 512 KiB = 1000 MiB. PoCL's malloc arenas
            // move RSS by tens of MiB either way without a trend (24,000 cycles stay within 170-320 MiB),
            // hence the 200 MiB bound.
            assertThat(growth).as("RSS growth in KiB over 2000 cycles").isLessThan(200 * 1024);
        }
    }

    @ParameterizedTest
    @MethodSource("devices")
    void oneplanExecutedFromFourThreadsIsSerialisedAndCorrect(Device device) throws Exception {
        int n = 4096;
        try (FloatArray x = new FloatArray(n); FloatArray y = new FloatArray(n)) {
            x.fill(1f);
            // y is device-only and never copied in: each execution adds 1 to it on the device.
            ImmutableTaskGraph g = new TaskGraph("g")
                    .transferToDevice(DataTransferMode.FIRST_EXECUTION, x)
                    .task("axpy", Kernels.AXPY, x, y, 1f, n)
                    .transferToHost(DataTransferMode.UNDER_DEMAND, y)
                    .snapshot();
            int perThread = 50;
            try (ExecutionPlan plan = new ExecutionPlan(g).withDevice(device);
                 ExecutorService pool = Executors.newFixedThreadPool(4)) {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < 4; t++) {
                    futures.add(pool.submit(() -> {
                        for (int i = 0; i < perThread; i++) {
                            plan.execute();
                        }
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
                plan.execute().transferToHost(y);
            }
            // 200 serialised executions + 1: every element incremented exactly 201 times.
            for (int i = 0; i < n; i++) {
                assertThat(y.get(i)).isEqualTo(201f);
            }
        }
    }
}
