package ditvm.check;

import ditvm.device.Device;
import ditvm.kernel.Kernel;
import ditvm.kernel.RelativeError;
import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import ditvm.plan.OneTask;
import java.util.ArrayList;
import java.util.List;

/**
 * One kernel launch run on a device and on the java device (its Java reference) from identical
 * copies of the same inputs; the result is the relative max error of the device's output.
 */
record KernelCheck(String name, Kernel kernel, Object[] args, int outputIndex) {

    /** max|device - reference| / max|reference| over the output argument. */
    double relativeError(Device device, Device reference) {
        return RelativeError.of(run(device), run(reference));
    }

    private float[] run(Device device) {
        List<DeviceArray> copies = new ArrayList<>();
        try {
            Object[] a = args.clone();
            for (int i = 0; i < a.length; i++) {
                if (a[i] instanceof FloatArray f) {
                    FloatArray c = FloatArray.fromArray(f.toArray());
                    copies.add(c);
                    a[i] = c;
                } else if (a[i] instanceof IntArray n) {
                    IntArray c = IntArray.fromArray(n.toArray());
                    copies.add(c);
                    a[i] = c;
                }
            }
            FloatArray out = (FloatArray) a[outputIndex];
            OneTask.run(device, out, kernel, a);
            return out.toArray();
        } finally {
            copies.forEach(DeviceArray::close);
        }
    }
}
