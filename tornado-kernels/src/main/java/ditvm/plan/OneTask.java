package ditvm.plan;

import ditvm.device.Device;
import ditvm.graph.DataTransferMode;
import ditvm.graph.TaskGraph;
import ditvm.kernel.Kernel;
import ditvm.memory.DeviceArray;
import java.util.Arrays;

/**
 * Runs one kernel as a one-task graph on a device: every array argument goes to the device,
 * {@code out} comes back. What kernel tests and `ditvm selfcheck` need.
 */
public final class OneTask {
    private OneTask() {
    }

    public static void run(Device device, DeviceArray out, Kernel kernel, Object... args) {
        DeviceArray[] in = Arrays.stream(args).filter(DeviceArray.class::isInstance).map(DeviceArray.class::cast)
                .distinct().toArray(DeviceArray[]::new);
        try (ExecutionPlan plan = new ExecutionPlan(new TaskGraph("g")
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, in)
                .task("t", kernel, args)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, out).snapshot()).withDevice(device)) {
            plan.execute();
        }
    }
}
