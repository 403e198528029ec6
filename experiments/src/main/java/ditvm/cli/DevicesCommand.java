package ditvm.cli;

import ditvm.cuda.CudaDevices;
import ditvm.device.Device;
import ditvm.device.DeviceInfo;
import ditvm.device.Devices;
import ditvm.opencl.OpenCLPlatforms;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code ditvm devices}: the devices of this machine, like {@code tornado --devices}. */
@Command(name = "devices", description = "List the devices kernels can run on.")
final class DevicesCommand implements Runnable {

    @Option(names = "--json", description = "One JSON document on stdout.")
    boolean json;

    @Override
    public void run() {
        List<Device> all = Devices.all();
        if (json) {
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Device d : all) {
                DeviceInfo i = d.info();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("id", i.id());
                m.put("name", i.name());
                m.put("vendor", i.vendor());
                m.put("type", i.type().name());
                m.put("driver", i.driver());
                m.put("compute_units", i.computeUnits());
                m.put("global_mem_bytes", i.globalMemBytes());
                m.put("local_mem_bytes", i.localMemBytes());
                m.put("max_work_group_size", i.maxWorkGroupSize());
                m.put("float_vector_width", i.floatVectorWidth());
                rows.add(m);
            }
            System.out.println(Json.write(rows));
            return;
        }
        String defaultId = Devices.defaultDevice().id();
        for (Device d : all) {
            DeviceInfo i = d.info();
            System.out.printf(Locale.ROOT, "%s%s%n    %s (%s), %s%n    driver: %s%n    compute units %d, global memory %.1f GiB,"
                            + " local memory %d KiB, max work-group %d, float vector width %d%n",
                    i.id(), i.id().equals(defaultId) ? "  [default]" : "", i.name(), i.vendor(), i.type(), i.driver(),
                    i.computeUnits(), i.globalMemBytes() / (1024.0 * 1024 * 1024), i.localMemBytes() / 1024,
                    i.maxWorkGroupSize(), i.floatVectorWidth());
        }
        String why = OpenCLPlatforms.unavailableReason();
        if (why != null) {
            System.out.println("no OpenCL devices: " + why);
        }
        String noCuda = CudaDevices.unavailableReason();
        if (noCuda != null) {
            System.out.println("no CUDA devices: " + noCuda);
        }
    }
}
