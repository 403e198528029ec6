package ditvm.model.sampling;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.model.Fixtures;
import ditvm.model.weights.SafeTensors;
import java.lang.foreign.ValueLayout;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The respaced schedule against the float64 tables of experiments/reference/sampler_reference.py
 * (fixtures/sampler/schedules.safetensors) and against values worked out by hand.
 */
class DiffusionScheduleTest {

    private static double[] doubles(SafeTensors f, String name) {
        return f.bytes(name).toArray(ValueLayout.JAVA_DOUBLE_UNALIGNED);
    }

    @ParameterizedTest(name = "N = {0}")
    @ValueSource(ints = {1, 10, 25, 250, 1000})
    void tablesMatchTheReference(int steps) {
        DiffusionSchedule s = DiffusionSchedule.respaced(steps);
        try (SafeTensors f = SafeTensors.open(Fixtures.dir().resolve("sampler/schedules.safetensors"))) {
            long[] kept = f.longs("timesteps_" + steps);
            assertThat(s.timesteps()).containsExactly(java.util.Arrays.stream(kept).mapToInt(v -> (int) v).toArray());
            assertClose("betas", s.betas(), doubles(f, "betas_" + steps));
            assertClose("coef1", s.coef1(), doubles(f, "coef1_" + steps));
            assertClose("coef2", s.coef2(), doubles(f, "coef2_" + steps));
            assertClose("log var clipped", s.posteriorLogVarianceClipped(), doubles(f, "posterior_log_variance_clipped_" + steps));
            assertClose("fixed large", s.fixedLargeLogVariance(), doubles(f, "fixed_large_log_variance_" + steps));
        }
    }

    private static void assertClose(String what, double[] got, double[] ref) {
        assertThat(got).as(what).hasSameSizeAs(ref);
        for (int i = 0; i < ref.length; i++) {
            assertThat(got[i]).as(what + "[" + i + "]").isCloseTo(ref[i], org.assertj.core.data.Offset.offset(1e-12 * Math.max(1, Math.abs(ref[i]))));
        }
    }

    @Test
    void handWorkedValues() {
        assertThat(DiffusionSchedule.respacedTimesteps(1)).containsExactly(0);
        assertThat(DiffusionSchedule.respacedTimesteps(10)).containsExactly(0, 111, 222, 333, 444, 555, 666, 777, 888, 999);
        assertThat(DiffusionSchedule.respacedTimesteps(1000)).containsExactly(IntStream.range(0, 1000).toArray());
        // N = 25: stride 41.625; 4 * 41.625 = 166.5 rounds to even (166), 124.875 to 125.
        int[] t25 = DiffusionSchedule.respacedTimesteps(25);
        assertThat(t25).startsWith(0, 42, 83, 125, 166, 208, 250).endsWith(957, 999).hasSize(25);
        int[] t250 = DiffusionSchedule.respacedTimesteps(250);
        assertThat(t250).hasSize(250).startsWith(0, 4, 8, 12).endsWith(991, 995, 999);
        // N = 1000 is the base process: its betas are the linear schedule itself.
        double[] b = DiffusionSchedule.respaced(1000).betas();
        assertThat(b[0]).isCloseTo(1e-4, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(b[999]).isCloseTo(0.02, org.assertj.core.data.Offset.offset(1e-13));
        // N = 1: one step from t = 0 that keeps the base beta_0; no noise is added there.
        float[] table = DiffusionSchedule.respaced(1).stepTable(0);
        assertThat(table[ditvm.kernels.SamplerStep.NONZERO]).isZero();
        assertThat(DiffusionSchedule.respaced(1).loopTimesteps()).containsExactly(0f);
    }

    @Test
    void loopOrderStartsAtTheLargestTimestep() {
        DiffusionSchedule s = DiffusionSchedule.respaced(10);
        assertThat(s.loopTimesteps()).containsExactly(999f, 888f, 777f, 666f, 555f, 444f, 333f, 222f, 111f, 0f);
        float[] t = s.stepTable(0);
        int w = ditvm.kernels.SamplerStep.COLUMNS;
        assertThat(t[9 * w + ditvm.kernels.SamplerStep.NONZERO]).isZero();
        assertThat(t[ditvm.kernels.SamplerStep.NONZERO]).isEqualTo(1f);
        assertThat(t[ditvm.kernels.SamplerStep.COEF1]).isEqualTo((float) s.coef1()[9]);
    }

    @Test
    void refusesStepsOutsideTheBaseProcess() {
        assertThatThrownBy(() -> DiffusionSchedule.respacedTimesteps(0)).hasMessageContaining("1..1000, given 0");
        assertThatThrownBy(() -> DiffusionSchedule.respacedTimesteps(1001)).hasMessageContaining("1..1000, given 1001");
    }
}
