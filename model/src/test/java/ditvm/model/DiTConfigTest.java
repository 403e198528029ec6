package ditvm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class DiTConfigTest {

    @Test
    void xl2At256HasThePaperShape() {
        DiTConfig c = DiTConfig.preset("DiT-XL/2", 256);
        assertThat(c).isEqualTo(new DiTConfig(28, 1152, 16, 2, 32, 4, 1000, true, 4));
        assertThat(c.headDim()).isEqualTo(72);
        assertThat(c.tokens()).isEqualTo(256);
        assertThat(c.outChannels()).isEqualTo(8);
        assertThat(c.patchDim()).isEqualTo(16);
        assertThat(c.patchOutDim()).isEqualTo(32);
        assertThat(c.mlpHidden()).isEqualTo(4608);
        assertThat(c.imageSize()).isEqualTo(256);
        assertThat(c.modelName()).isEqualTo("DiT-XL/2");
    }

    @Test
    void imageSizeGivesTheLatentGrid() {
        assertThat(DiTConfig.preset("DiT-XL/2", 512).inputSize()).isEqualTo(64);
        assertThat(DiTConfig.preset("dit-s/8", 128).inputSize()).isEqualTo(16);
        assertThat(DiTConfig.preset("DiT-B/4").inputSize()).isEqualTo(32);
        assertThatThrownBy(() -> DiTConfig.preset("DiT-B/4", 250))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("image size must be a positive multiple of 8").hasMessageContaining("250");
        // 32 px -> I = 4, which patch 8 does not divide.
        assertThatThrownBy(() -> DiTConfig.preset("DiT-B/8", 32))
                .hasMessageContaining("inputSize must be divisible by patch, found inputSize 4 and patch 8");
    }

    @Test
    void twelvePresetsFromFourSizes() {
        List<String> names = DiTConfig.presetNames();
        assertThat(names).hasSize(12).startsWith("DiT-S/2", "DiT-S/4", "DiT-S/8").endsWith("DiT-XL/8");
        for (String n : names) {
            assertThat(DiTConfig.preset(n, 256).modelName()).isEqualTo(n);
        }
        assertThat(DiTConfig.preset("DiT-L/4")).extracting(DiTConfig::depth, DiTConfig::hidden, DiTConfig::heads,
                DiTConfig::patch).containsExactly(24, 1024, 16, 4);
    }

    @Test
    void unknownPresetListsTheValidOnes() {
        assertThatThrownBy(() -> DiTConfig.preset("DiT-M/2", 256))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unknown model 'DiT-M/2'")
                .hasMessageContaining("DiT-S/2").hasMessageContaining("DiT-XL/8");
    }

    @Test
    void customDefaultsAndName() {
        DiTConfig c = DiTConfig.custom(2, 24, 3, 2, 8);
        assertThat(c.inChannels()).isEqualTo(4);
        assertThat(c.numClasses()).isEqualTo(1000);
        assertThat(c.learnSigma()).isTrue();
        assertThat(c.mlpRatio()).isEqualTo(4);
        assertThat(c.headDim()).isEqualTo(8);
        assertThat(c.tokens()).isEqualTo(16);
        assertThat(c.modelName()).isEqualTo("custom");
        assertThat(c.withLearnSigma(false).outChannels()).isEqualTo(4);
        assertThat(c.withInChannels(3).patchDim()).isEqualTo(12);
        assertThat(c.withNumClasses(10).numClasses()).isEqualTo(10);
        assertThat(c.withInputSize(16).tokens()).isEqualTo(64);
    }

    @Test
    void validationSaysWhatWasExpectedAndFound() {
        assertThatThrownBy(() -> DiTConfig.custom(2, 25, 3, 2, 8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("hidden must be divisible by heads, found hidden 25 and heads 3");
        assertThatThrownBy(() -> DiTConfig.custom(2, 24, 3, 3, 8))
                .hasMessage("inputSize must be divisible by patch, found inputSize 8 and patch 3");
        assertThatThrownBy(() -> DiTConfig.custom(0, 24, 3, 2, 8)).hasMessage("depth must be >= 1, found 0");
        assertThatThrownBy(() -> DiTConfig.custom(2, 24, -3, 2, 8)).hasMessage("heads must be >= 1, found -3");
        assertThatThrownBy(() -> new DiTConfig(2, 24, 3, 2, 8, 0, 10, true, 4))
                .hasMessage("inChannels must be >= 1, found 0");
        assertThatThrownBy(() -> new DiTConfig(2, 24, 3, 2, 8, 4, 0, true, 4))
                .hasMessage("numClasses must be >= 1, found 0");
        assertThatThrownBy(() -> DiTConfig.custom(2, 18, 3, 2, 8))
                .hasMessageStartingWith("hidden must be divisible by 4");
    }
}
