package ditvm.cuda;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.device.Device;
import ditvm.device.DeviceType;
import ditvm.device.Devices;
import ditvm.kernel.KernelSources;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** The parts of the CUDA backend that run without a GPU, and the device list with or without one. */
class CudaBackendTest {

    @Test
    void cudaDevicesAreListedExactlyWhenTheDriverInitialises() {
        String why = CudaDevices.unavailableReason();
        if (why != null) {
            System.out.println("no CUDA devices: " + why);
            assertThat(Devices.cuda()).isEmpty();
            assertThatThrownBy(() -> Devices.get("cuda:0")).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unknown device 'cuda:0'").hasMessageContaining(why);
            return;
        }
        for (Device d : Devices.cuda()) {
            assertThat(d.id()).matches("cuda:\\d+");
            assertThat(d.info().type()).isEqualTo(DeviceType.GPU);
            assertThat(d.info().computeUnits()).isPositive();
            assertThat(d.info().globalMemBytes()).isPositive();
            assertThat(d.info().driver()).contains("compute capability").contains("SMs");
        }
    }

    @Test
    void autoBlockDividesTheGlobalSize() {
        assertThat(CudaSession.autoBlock(1)).isEqualTo(1);
        assertThat(CudaSession.autoBlock(1024)).isEqualTo(256);
        assertThat(CudaSession.autoBlock(300)).isEqualTo(150);
        assertThat(CudaSession.autoBlock(257)).as("a prime").isEqualTo(1);
    }

    /** The nvcc fallback of the PTX compiler: the same call the device makes when no NVRTC is found. */
    @Test
    void nvccFallbackMakesPtxOrGivesTheLog() throws Exception {
        Optional<PtxCompiler.Nvcc> nvcc = PtxCompiler.Nvcc.find();
        Assumptions.assumeTrue(nvcc.isPresent(), "nvcc not found: the nvcc fallback is not checked");
        ditvm.kernels.Gemm gemm = ditvm.kernels.Kernels.gemm(ditvm.kernels.Gemm.Impl.TILED, ditvm.kernels.Gemm.Epilogue.GATED_RESIDUAL);
        String text = gemm.programText(KernelSources.Target.CUDA);
        PtxCompiler.Result r = nvcc.get().compile(gemm.sourceFile(), text, 80, List.of());
        assertThat(r.arch()).isEqualTo("compute_80");
        assertThat(r.ptx()).contains(".entry " + gemm.entryPoint() + "(").contains(".target sm_80");
        String broken = KernelSources.program(KernelSources.Target.CUDA, "broken.cl");
        assertThatThrownBy(() -> nvcc.get().compile("broken.cl", broken, 80, List.of()))
                .isInstanceOfSatisfying(PtxCompiler.Failure.class, f -> assertThat(f.log()).contains("error").contains("(3)"));
    }
}
