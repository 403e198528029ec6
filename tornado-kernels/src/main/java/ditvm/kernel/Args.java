package ditvm.kernel;

import ditvm.memory.DeviceArray;
import ditvm.memory.FloatArray;
import ditvm.memory.IntArray;
import java.util.List;

/** The arguments of one task, in the kernel's parameter order. Immutable. */
public record Args(List<Object> values) {

    public Args {
        values = List.copyOf(values);
    }

    public static Args of(Object... values) {
        return new Args(List.of(values));
    }

    public FloatArray floats(int i) {
        return (FloatArray) values.get(i);
    }

    public IntArray ints(int i) {
        return (IntArray) values.get(i);
    }

    public DeviceArray array(int i) {
        return (DeviceArray) values.get(i);
    }

    public int i(int i) {
        return (Integer) values.get(i);
    }

    public float f(int i) {
        return (Float) values.get(i);
    }

    public Object get(int i) {
        return values.get(i);
    }

    public int size() {
        return values.size();
    }
}
