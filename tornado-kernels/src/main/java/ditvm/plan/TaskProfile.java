package ditvm.plan;

/** One task's launch in one execution; {@code kernelNanos} from device events, 0 when profiling is off. */
public record TaskProfile(String task, String kernel, String launch, long kernelNanos) {
}
