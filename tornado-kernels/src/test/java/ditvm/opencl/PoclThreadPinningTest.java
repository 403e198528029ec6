package ditvm.opencl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** When ditvm pins PoCL's workers (worker i on CPU i) and when it must not. */
class PoclThreadPinningTest {
    private static String status(String allowed) {
        return "Name:\tjava\nCpus_allowed:\tff\nCpus_allowed_list:\t" + allowed + "\nMems_allowed_list:\t0\n";
    }

    @Test
    void pinsWhenTheProcessMayUseEveryOnlineCpu() {
        assertTrue(PoclThreadPinning.safe(Map.of(), status("0-1"), "0-1\n"));
        assertTrue(PoclThreadPinning.safe(Map.of(), status("0"), "0\n"));
        assertTrue(PoclThreadPinning.safe(Map.of("POCL_MAX_PTHREAD_COUNT", "2"), status("0-15"), "0-15\n"));
    }

    @Test
    void leavesTheUsersChoiceAlone() {
        assertFalse(PoclThreadPinning.safe(Map.of("POCL_AFFINITY", "0"), status("0-1"), "0-1"));
        assertFalse(PoclThreadPinning.safe(Map.of("POCL_AFFINITY", "1"), status("0-1"), "0-1"));
    }

    @Test
    void refusesInsideACpusetOrWithGaps() {
        assertFalse(PoclThreadPinning.safe(Map.of(), status("2-3"), "0-15")); // taskset / Slurm cpuset
        assertFalse(PoclThreadPinning.safe(Map.of(), status("0-1"), "0-15")); // fewer CPUs than PoCL's workers
        assertFalse(PoclThreadPinning.safe(Map.of(), status("0,2-3"), "0,2-3")); // an offline CPU: worker 1 has no CPU 1
        assertFalse(PoclThreadPinning.safe(Map.of("POCL_MAX_PTHREAD_COUNT", "4"), status("0-1"), "0-1"));
        assertFalse(PoclThreadPinning.safe(Map.of("POCL_MAX_PTHREAD_COUNT", "x"), status("0-1"), "0-1"));
    }

    @Test
    void refusesWithoutLinuxsFiles() {
        assertFalse(PoclThreadPinning.safe(Map.of(), null, "0-1"));
        assertFalse(PoclThreadPinning.safe(Map.of(), status("0-1"), null));
        assertFalse(PoclThreadPinning.safe(Map.of(), "Name:\tjava\n", "0-1"));
    }
}
