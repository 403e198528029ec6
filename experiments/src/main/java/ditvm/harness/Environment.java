package ditvm.harness;

import ditvm.device.Device;
import ditvm.device.DeviceInfo;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Where a run happened: JVM, OS, CPU, devices, git commit, time. Kept in results.json. */
public final class Environment {

    private Environment() {
    }

    public static Map<String, Object> capture(List<Device> devices) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("time_utc", Instant.now().toString());
        m.put("host", hostname());
        m.put("jvm", System.getProperty("java.vm.name") + " " + Runtime.version() + " (" + System.getProperty("java.vendor") + ")");
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("memory_bytes", totalMemory());
        m.put("git_commit", git("rev-parse", "HEAD"));
        m.put("git_dirty", !git("status", "--porcelain", "--untracked-files=no").isEmpty());
        List<Map<String, Object>> ds = devices.stream().map(d -> {
            DeviceInfo i = d.info();
            Map<String, Object> dm = new LinkedHashMap<>();
            dm.put("id", i.id());
            dm.put("name", i.name());
            dm.put("vendor", i.vendor());
            dm.put("type", i.type().name());
            dm.put("driver", i.driver());
            dm.put("compute_units", i.computeUnits());
            return dm;
        }).toList();
        m.put("devices", ds);
        return m;
    }

    /** This machine's name: /proc/sys/kernel/hostname, else the resolver's answer. */
    public static String hostname() {
        try {
            String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
            if (!h.isEmpty()) {
                return h;
            }
        } catch (IOException e) {
            // not Linux: ask the resolver
        }
        try {
            return java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.net.UnknownHostException e) {
            return "unknown";
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    static long totalMemory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | NumberFormatException e) {
            // unknown
        }
        return -1;
    }

    /** A git answer in the current directory, or "unknown" (not a checkout, no git). */
    static String git(String... args) {
        try {
            String[] cmd = new String[args.length + 1];
            cmd[0] = "git";
            System.arraycopy(args, 0, cmd, 1, args.length);
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return "unknown";
            }
            return out;
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
