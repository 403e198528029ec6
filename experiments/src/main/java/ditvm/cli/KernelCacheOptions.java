package ditvm.cli;

import ditvm.cuda.CudaDevice;
import ditvm.device.Device;
import ditvm.device.Devices;
import ditvm.opencl.OpenCLDevice;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Where a device takes its programs from: the on-disk cache of OpenCL binaries and PTX (default), source only
 * ({@code --no-kernel-cache}), or a precompiled folder only ({@code --precompiled DIR}, the
 * FPGA flow). A command adds {@code @Mixin KernelCacheOptions kernelCache;} and asks it for
 * the device: {@code kernelCache.device(id)}.
 */
public final class KernelCacheOptions {

    @Option(names = "--no-kernel-cache",
            description = "Build OpenCL programs and PTX from source; read and write no on-disk cache (as DITVM_KERNEL_CACHE=off).")
    boolean noKernelCache;

    @Option(names = "--precompiled", paramLabel = "DIR",
            description = "Take OpenCL programs only from DIR (written by `ditvm compile`); never compile.")
    Path precompiled;

    /** The device {@code id} ({@link Devices#get}) configured by these options. */
    public Device device(String id) {
        Device d = Devices.get(id);
        if (d instanceof CudaDevice cuda && precompiled == null) {
            return noKernelCache ? cuda.withoutDiskCache() : cuda;
        }
        if (!(d instanceof OpenCLDevice cl)) {
            if (precompiled != null) {
                throw new Errors.UsageException("--precompiled needs an OpenCL device (opencl:P:D), found " + d.id());
            }
            return d;
        }
        if (precompiled != null) {
            return cl.precompiled(precompiled);
        }
        return noKernelCache ? cl.withoutDiskCache() : cl;
    }
}
