package ditvm.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DevicesTest {

    @Test
    void javaIsAlwaysPresentAndFirst() {
        assertThat(Devices.all().getFirst().id()).isEqualTo("java");
        assertThat(Devices.get("java").info().type()).isEqualTo(DeviceType.JAVA);
    }

    @Test
    void unknownIdListsTheValidOnes() {
        assertThatThrownBy(() -> Devices.get("opencl:9:9"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown device 'opencl:9:9'")
                .hasMessageContaining("java");
    }

    @Test
    void openCLDevicesAreNumberedByPlatformAndDevice() {
        for (Device d : Devices.openCL()) {
            assertThat(d.id()).matches("opencl:\\d+:\\d+");
            assertThat(d.info().computeUnits()).isPositive();
            assertThat(d.info().globalMemBytes()).isPositive();
        }
    }
}
