package ditvm.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The shape of a DiT model (dit-spec.md section 1): everything the weights, the task graphs
 * and the FLOP counter need to know, and nothing about how it runs.
 *
 * @param depth       number of transformer blocks N
 * @param hidden      hidden size D
 * @param heads       attention heads H (D divisible by H)
 * @param patch       patch size p (input size divisible by p)
 * @param inputSize   latent grid side I (image pixels / 8 for the Stable Diffusion VAE)
 * @param inChannels  latent channels C (4)
 * @param numClasses  class labels K (1000); the label table has K + 1 rows, the last the null class
 * @param learnSigma  whether the model also predicts the variance: out channels = 2C, else C
 * @param mlpRatio    MLP hidden width / D (4)
 */
public record DiTConfig(int depth, int hidden, int heads, int patch, int inputSize, int inChannels,
                        int numClasses, boolean learnSigma, int mlpRatio) {

    public static final int DEFAULT_IMAGE_SIZE = 256;
    public static final int DEFAULT_IN_CHANNELS = 4;
    public static final int DEFAULT_NUM_CLASSES = 1000;
    public static final int DEFAULT_MLP_RATIO = 4;
    /** Pixels per latent cell: the VAE downsamples images by 8. */
    public static final int VAE_DOWNSAMPLE = 8;
    /** Patch sizes each model size comes in. */
    public static final List<Integer> PRESET_PATCHES = List.of(2, 4, 8);

    /** The model sizes of the paper's Table 1: the one table the presets come from. */
    public enum Size {
        S(12, 384, 6),
        B(12, 768, 12),
        L(24, 1024, 16),
        XL(28, 1152, 16);

        private final int depth;
        private final int hidden;
        private final int heads;

        Size(int depth, int hidden, int heads) {
            this.depth = depth;
            this.hidden = hidden;
            this.heads = heads;
        }

        public int depth() {
            return depth;
        }

        public int hidden() {
            return hidden;
        }

        public int heads() {
            return heads;
        }
    }

    public DiTConfig {
        positive("depth", depth);
        positive("hidden", hidden);
        positive("heads", heads);
        positive("patch", patch);
        positive("inputSize", inputSize);
        positive("inChannels", inChannels);
        positive("numClasses", numClasses);
        positive("mlpRatio", mlpRatio);
        if (hidden % heads != 0) {
            throw new IllegalArgumentException("hidden must be divisible by heads, found hidden " + hidden
                    + " and heads " + heads);
        }
        if (hidden % 4 != 0) {
            throw new IllegalArgumentException("hidden must be divisible by 4 (the 2-D sin-cos position embedding"
                    + " gives D/4 frequencies to each of sin/cos x row/column), found " + hidden);
        }
        if (inputSize % patch != 0) {
            throw new IllegalArgumentException("inputSize must be divisible by patch, found inputSize " + inputSize
                    + " and patch " + patch);
        }
    }

    /** A model of the family at its default channels, classes, sigma and MLP ratio. */
    public static DiTConfig custom(int depth, int hidden, int heads, int patch, int inputSize) {
        return new DiTConfig(depth, hidden, heads, patch, inputSize, DEFAULT_IN_CHANNELS, DEFAULT_NUM_CLASSES,
                true, DEFAULT_MLP_RATIO);
    }

    /**
     * One of the 12 presets {@code DiT-S/2} ... {@code DiT-XL/8} (case-insensitive) for images of
     * {@code imageSize} pixels a side (latent grid = imageSize / 8).
     */
    public static DiTConfig preset(String name, int imageSize) {
        String n = name == null ? "" : name.trim();
        for (Size s : Size.values()) {
            for (int p : PRESET_PATCHES) {
                if (presetName(s, p).equalsIgnoreCase(n)) {
                    return custom(s.depth(), s.hidden(), s.heads(), p, inputSizeFor(imageSize));
                }
            }
        }
        throw new IllegalArgumentException("unknown model '" + name + "': expected one of "
                + String.join(", ", presetNames()));
    }

    /** The preset at 256x256 images (latent 32x32). */
    public static DiTConfig preset(String name) {
        return preset(name, DEFAULT_IMAGE_SIZE);
    }

    /** The 12 preset names, by size then patch: DiT-S/2, DiT-S/4, DiT-S/8, DiT-B/2, ... */
    public static List<String> presetNames() {
        List<String> names = new ArrayList<>();
        for (Size s : Size.values()) {
            for (int p : PRESET_PATCHES) {
                names.add(presetName(s, p));
            }
        }
        return List.copyOf(names);
    }

    /** Latent grid side for images of {@code imageSize} pixels (256 -> 32, 512 -> 64). */
    public static int inputSizeFor(int imageSize) {
        if (imageSize < 1 || imageSize % VAE_DOWNSAMPLE != 0) {
            throw new IllegalArgumentException("image size must be a positive multiple of " + VAE_DOWNSAMPLE
                    + " (256 or 512 in the paper), found " + imageSize);
        }
        return imageSize / VAE_DOWNSAMPLE;
    }

    private static String presetName(Size s, int patch) {
        return "DiT-" + s.name() + "/" + patch;
    }

    private static void positive(String name, int v) {
        if (v < 1) {
            throw new IllegalArgumentException(name + " must be >= 1, found " + v);
        }
    }

    /** {@code DiT-XL/2} when depth, hidden, heads, patch and MLP ratio are a preset's; else {@code custom}. */
    public String modelName() {
        if (mlpRatio == DEFAULT_MLP_RATIO && PRESET_PATCHES.contains(patch)) {
            for (Size s : Size.values()) {
                if (s.depth() == depth && s.hidden() == hidden && s.heads() == heads) {
                    return presetName(s, patch);
                }
            }
        }
        return "custom";
    }

    /** A one-line description, e.g. {@code DiT-XL/2 (depth 28, hidden 1152, heads 16, patch 2, input 32)}. */
    public String describe() {
        return String.format(Locale.ROOT, "%s (depth %d, hidden %d, heads %d, patch %d, input %dx%d, %d channels,"
                        + " %d classes, learn sigma %b, mlp ratio %d)", modelName(), depth, hidden, heads, patch,
                inputSize, inputSize, inChannels, numClasses, learnSigma, mlpRatio);
    }

    public DiTConfig withInputSize(int newInputSize) {
        return new DiTConfig(depth, hidden, heads, patch, newInputSize, inChannels, numClasses, learnSigma, mlpRatio);
    }

    public DiTConfig withInChannels(int newInChannels) {
        return new DiTConfig(depth, hidden, heads, patch, inputSize, newInChannels, numClasses, learnSigma, mlpRatio);
    }

    public DiTConfig withNumClasses(int newNumClasses) {
        return new DiTConfig(depth, hidden, heads, patch, inputSize, inChannels, newNumClasses, learnSigma, mlpRatio);
    }

    public DiTConfig withLearnSigma(boolean newLearnSigma) {
        return new DiTConfig(depth, hidden, heads, patch, inputSize, inChannels, numClasses, newLearnSigma, mlpRatio);
    }

    /** Image side in pixels the latent grid stands for: 8 I. */
    public int imageSize() {
        return inputSize * VAE_DOWNSAMPLE;
    }

    /** Per-head width D / H. */
    public int headDim() {
        return hidden / heads;
    }

    /** Patches per side I / p. */
    public int gridSize() {
        return inputSize / patch;
    }

    /** Image tokens T = (I / p)^2. */
    public int tokens() {
        return gridSize() * gridSize();
    }

    /** Output channels: 2C when the model learns sigma, else C. */
    public int outChannels() {
        return learnSigma ? 2 * inChannels : inChannels;
    }

    /** Width of one patchified token C p p (the patch-embed GEMM's K). */
    public int patchDim() {
        return inChannels * patch * patch;
    }

    /** Width of the final linear's output per token: p p out_channels. */
    public int patchOutDim() {
        return patch * patch * outChannels();
    }

    /** MLP hidden width mlpRatio D. */
    public int mlpHidden() {
        return mlpRatio * hidden;
    }
}
