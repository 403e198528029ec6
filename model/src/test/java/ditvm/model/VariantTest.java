package ditvm.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VariantTest {

    @Test
    void parsesCliNames() {
        for (Variant v : Variant.values()) {
            assertThat(Variant.parse(v.cliName())).isEqualTo(v);
        }
        assertThat(Variant.parse("Cross-Attention")).isEqualTo(Variant.CROSS_ATTENTION);
        assertThat(Variant.parse("ADALN_ZERO")).isEqualTo(Variant.ADALN_ZERO);
    }

    @Test
    void unknownNameListsTheValidOnes() {
        assertThatThrownBy(() -> Variant.parse("film"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown variant 'film': expected one of adaln-zero, adaln, in-context, cross-attention");
    }

    @Test
    void parsesListsAndAll() {
        assertThat(Variant.parseList("all")).containsExactly(Variant.values());
        assertThat(Variant.parseList("in-context, adaln")).containsExactly(Variant.IN_CONTEXT, Variant.ADALN);
        assertThatThrownBy(() -> Variant.parseList("adaln,,in-context")).hasMessageContaining("empty entry");
        assertThatThrownBy(() -> Variant.parseList("adaln,adaln")).hasMessageContaining("listed twice");
        assertThatThrownBy(() -> Variant.parseList("adaln,x")).hasMessageContaining("unknown variant 'x'");
    }
}
