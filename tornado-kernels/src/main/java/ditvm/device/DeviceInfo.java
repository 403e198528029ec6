package ditvm.device;

/** What `ditvm devices` shows of a device; sizes in bytes. */
public record DeviceInfo(String id, String name, String vendor, DeviceType type, String driver,
                         int computeUnits, long globalMemBytes, long localMemBytes, long maxWorkGroupSize,
                         String extra) {
}
