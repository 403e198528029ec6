package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The C the JIT writes for a long sum index ({@link Translator#element}); what the elements are is JitConstructsTest's. */
class RowPointerTest {
    @Test
    void aTopLevelLongSumBecomesRowPointerAndColumn() {
        assertThat(Translator.element("a", "JL_ADD(l1_row, ((jlong) i2_k))")).isEqualTo("(a + l1_row)[((jlong) i2_k)]");
        assertThat(Translator.element("a", "JL_ADD(JL_MUL(x, JL(4)), JL_ADD(y, z))")).isEqualTo("(a + (JL_MUL(x, JL(4))))[JL_ADD(y, z)]");
    }

    @Test
    void anythingElseStaysOneIndex() {
        assertThat(Translator.element("a", "l1_i")).isEqualTo("a[l1_i]");
        assertThat(Translator.element("a", "JL_SUB(x, y)")).isEqualTo("a[JL_SUB(x, y)]");
        // starts and ends like a sum, but is two of them
        assertThat(Translator.element("a", "JL_ADD(x, y) ^ JL_ADD(u, v)")).isEqualTo("a[JL_ADD(x, y) ^ JL_ADD(u, v)]");
    }
}
