package ditvm.cli;

import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The model options every command that builds a DiT shares (CLI.md "Common options"), as one
 * picocli mixin: {@code @Mixin ModelOptions model;} then {@link #config()} and {@link #variant()}
 * or {@link #variants()}. Inconsistent combinations are usage errors (exit 2).
 */
final class ModelOptions {

    static final String CUSTOM = "custom";

    @Option(names = "--model", paramLabel = "NAME",
            description = "DiT-S/2 ... DiT-XL/8, or custom (with --depth --hidden --heads --patch)."
                    + " Default: DiT-XL/2 (flops, forward), DiT-S/2 (ablation, sweep).")
    String model;

    /** The model when --model is not given; commands that benchmark pass a smaller one. */
    static final String DEFAULT_MODEL = "DiT-XL/2";

    @Option(names = "--image-size", paramLabel = "PX",
            description = "Image side in pixels (256, 512); latent grid = PX/8. Default 256.")
    Integer imageSize;

    @Option(names = "--input-size", paramLabel = "I", description = "Latent grid side, instead of --image-size.")
    Integer inputSize;

    @Option(names = "--in-channels", defaultValue = "4", paramLabel = "C",
            description = "Latent channels. Default: ${DEFAULT-VALUE}.")
    int inChannels;

    @Option(names = "--num-classes", defaultValue = "1000", paramLabel = "K",
            description = "Class labels (the label table has K + 1 rows). Default: ${DEFAULT-VALUE}.")
    int numClasses;

    @Option(names = "--learn-sigma", arity = "1", defaultValue = "true", paramLabel = "true|false",
            description = "Predict the variance too (out channels 2C). Default: ${DEFAULT-VALUE}.")
    boolean learnSigma;

    @Option(names = "--depth", paramLabel = "N", description = "Blocks (--model custom).")
    Integer depth;

    @Option(names = "--hidden", paramLabel = "D", description = "Hidden size (--model custom).")
    Integer hidden;

    @Option(names = "--heads", paramLabel = "H", description = "Attention heads (--model custom).")
    Integer heads;

    @Option(names = "--patch", paramLabel = "P", description = "Patch size (--model custom).")
    Integer patch;

    @Option(names = "--variant", paramLabel = "NAME",
            description = "adaln-zero, adaln, in-context or cross-attention. Default: adaln-zero.")
    String variant;

    @Option(names = "--variants", paramLabel = "LIST", description = "Comma list of variants, or all.")
    String variants;

    /** The model these options describe. */
    DiTConfig config() {
        return config(DEFAULT_MODEL);
    }

    /** The model these options describe, {@code defaultModel} when --model is not given. */
    DiTConfig config(String defaultModel) {
        return configFor(model == null ? defaultModel : model);
    }

    /** The model named {@code name} (a preset or custom) with the other options of this mixin. */
    DiTConfig configFor(String name) {
        String model = name;
        if (imageSize != null && inputSize != null) {
            throw new Errors.UsageException("give --image-size (pixels) or --input-size (latent grid), not both; found"
                    + " --image-size " + imageSize + " and --input-size " + inputSize);
        }
        DiTConfig base;
        if (CUSTOM.equalsIgnoreCase(model.trim())) {
            List<String> missing = new ArrayList<>();
            if (depth == null) {
                missing.add("--depth");
            }
            if (hidden == null) {
                missing.add("--hidden");
            }
            if (heads == null) {
                missing.add("--heads");
            }
            if (patch == null) {
                missing.add("--patch");
            }
            if (!missing.isEmpty()) {
                throw new Errors.UsageException("--model custom needs --depth, --hidden, --heads and --patch; missing "
                        + String.join(", ", missing));
            }
            base = DiTConfig.custom(depth, hidden, heads, patch, gridFor());
        } else {
            List<String> extra = new ArrayList<>();
            if (depth != null) {
                extra.add("--depth");
            }
            if (hidden != null) {
                extra.add("--hidden");
            }
            if (heads != null) {
                extra.add("--heads");
            }
            if (patch != null) {
                extra.add("--patch");
            }
            if (!extra.isEmpty()) {
                throw new Errors.UsageException(String.join(", ", extra) + " only apply to --model custom; found them"
                        + " with --model " + model);
            }
            base = DiTConfig.preset(model, DiTConfig.DEFAULT_IMAGE_SIZE).withInputSize(gridFor());
        }
        return base.withInChannels(inChannels).withNumClasses(numClasses).withLearnSigma(learnSigma);
    }

    /** The variants of a command that compares them: --variant or --variants, else all four. */
    List<Variant> variantsOrAll() {
        return variants == null && variant == null ? List.of(Variant.values()) : variants();
    }

    /** The one variant of a command that runs one; {@code --variants} with a single entry is accepted too. */
    Variant variant() {
        if (variants == null) {
            return variant == null ? Variant.ADALN_ZERO : Variant.parse(variant);
        }
        if (variant != null) {
            throw new Errors.UsageException("give --variant or --variants, not both; found --variant " + variant
                    + " and --variants " + variants);
        }
        List<Variant> list = Variant.parseList(variants);
        if (list.size() != 1) {
            throw new Errors.UsageException("this command runs one variant (--variant NAME); found " + list.size()
                    + " in --variants " + variants);
        }
        return list.getFirst();
    }

    /** The variants of a command that compares them: {@code --variants}, else the one {@code --variant}. */
    List<Variant> variants() {
        if (variants != null && variant != null) {
            throw new Errors.UsageException("give --variant or --variants, not both; found --variant " + variant
                    + " and --variants " + variants);
        }
        if (variants != null) {
            return Variant.parseList(variants);
        }
        return List.of(variant == null ? Variant.ADALN_ZERO : Variant.parse(variant));
    }

    /** Latent grid side from --input-size, or --image-size / 8, or 32 (256 px). */
    private int gridFor() {
        if (inputSize != null) {
            return inputSize;
        }
        return DiTConfig.inputSizeFor(imageSize == null ? DiTConfig.DEFAULT_IMAGE_SIZE : imageSize);
    }
}
