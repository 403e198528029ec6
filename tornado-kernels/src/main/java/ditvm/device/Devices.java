package ditvm.device;

import ditvm.cuda.CudaDevices;
import ditvm.device.java.JavaDevice;
import ditvm.opencl.OpenCLPlatforms;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * The devices of this process, found once on first use: {@code java}, then every OpenCL
 * device as {@code opencl:P:D}, then every CUDA device as {@code cuda:N} (none, and no error,
 * without an NVIDIA driver). The default device is {@code $DITVM_DEVICE} when set, else the
 * first CUDA device, else the first GPU, else the first OpenCL device, else {@code java}.
 */
public final class Devices {

    private Devices() {
    }

    private static final class Holder {
        static final List<Device> ALL = discover();
    }

    private static List<Device> discover() {
        List<Device> all = new ArrayList<>();
        all.add(new JavaDevice());
        all.addAll(OpenCLPlatforms.discover());
        all.addAll(CudaDevices.discover());
        return Collections.unmodifiableList(all);
    }

    public static List<Device> all() {
        return Holder.ALL;
    }

    /** The device with this id, or {@code default}; an unknown id lists the valid ones. */
    public static Device get(String id) {
        if (id == null || id.equals("default")) {
            return defaultDevice();
        }
        for (Device d : all()) {
            if (d.id().equals(id)) {
                return d;
            }
        }
        String hint = id.startsWith("opencl") ? OpenCLPlatforms.unavailableReason()
                : id.startsWith("cuda") ? CudaDevices.unavailableReason() : null;
        throw new IllegalArgumentException("unknown device '" + id + "'; valid: "
                + String.join(", ", all().stream().map(Device::id).toList()) + ", default"
                + (hint != null ? " (" + hint + ")" : ""));
    }

    public static Device defaultDevice() {
        String env = System.getenv("DITVM_DEVICE");
        if (env != null && !env.isBlank() && !env.equals("default")) {
            return get(env.trim());
        }
        return all().stream().filter(d -> d.id().startsWith("cuda:")).findFirst()
                .or(() -> all().stream().filter(d -> d.info().type() == DeviceType.GPU).findFirst())
                .or(() -> all().stream().filter(d -> d.id().startsWith("opencl:")).findFirst())
                .orElse(all().getFirst());
    }

    /** The CUDA devices present (possibly none). */
    public static List<Device> cuda() {
        return all().stream().filter(d -> d.id().startsWith("cuda:")).toList();
    }

    /** The OpenCL devices present (possibly none). */
    public static List<Device> openCL() {
        return all().stream().filter(d -> d.id().startsWith("opencl:")).toList();
    }
}
