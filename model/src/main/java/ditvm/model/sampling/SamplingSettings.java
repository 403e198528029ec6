package ditvm.model.sampling;

/**
 * What a sampling run does, checked when made: {@code steps} respaced steps (1..1000), the update
 * rule, DDIM's {@code eta} (>= 0, finite; 0 for DDPM), clipping of pred_x0 to [-1, 1], the guidance
 * scale (>= 0, finite; 1 runs the conditional half only) and the guided channels (1..out channels,
 * checked against the model when the sampler is built).
 */
public record SamplingSettings(int steps, Sampler sampler, double eta, boolean clipDenoised, float cfgScale,
                               int guidedChannels) {

    public SamplingSettings {
        if (steps < 1 || steps > DiffusionSchedule.BASE_STEPS) {
            throw new IllegalArgumentException("--steps must be in 1.." + DiffusionSchedule.BASE_STEPS + ", given " + steps);
        }
        if (sampler == null) {
            throw new IllegalArgumentException("a sampler is required: ddpm or ddim");
        }
        if (!(eta >= 0) || Double.isInfinite(eta)) {
            throw new IllegalArgumentException("--eta must be a finite number >= 0, given " + eta);
        }
        if (sampler == Sampler.DDPM && eta != 0) {
            throw new IllegalArgumentException("--eta is DDIM's; the ddpm sampler takes none, given " + eta);
        }
        if (!(cfgScale >= 0) || Float.isInfinite(cfgScale)) {
            throw new IllegalArgumentException("--cfg-scale must be a finite number >= 0, given " + cfgScale);
        }
        if (guidedChannels < 1) {
            throw new IllegalArgumentException("--guided-channels must be >= 1, given " + guidedChannels);
        }
    }

    /** Whether each step runs the null-class half too (every scale but 1). */
    public boolean guided() {
        return cfgScale != 1f;
    }

    /** Whether some step adds noise z: DDPM always, DDIM when eta > 0. */
    public boolean addsNoise() {
        return sampler == Sampler.DDPM || eta > 0;
    }
}
