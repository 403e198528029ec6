package ditvm.model.sampling;

/** The reverse-process update: {@code p_sample} (DDPM) or {@code ddim_sample} (DDIM). */
public enum Sampler {
    DDPM("ddpm"), DDIM("ddim");

    private final String cliName;

    Sampler(String cliName) {
        this.cliName = cliName;
    }

    public String cliName() {
        return cliName;
    }

    public static Sampler parse(String name) {
        for (Sampler s : values()) {
            if (s.cliName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("unknown sampler '" + name + "': expected ddpm or ddim");
    }
}
