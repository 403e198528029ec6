package ditvm.graph;

import ditvm.memory.DeviceArray;
import java.util.List;

/** A declared copy of host arrays to the device or back. */
public record Transfer(Direction direction, DataTransferMode mode, List<DeviceArray> arrays) {

    public enum Direction { TO_DEVICE, TO_HOST }

    public Transfer {
        arrays = List.copyOf(arrays);
    }
}
