package ditvm.model.graph;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.device.Device;
import ditvm.model.DiTConfig;
import ditvm.model.Variant;
import ditvm.model.flops.FlopCount;
import ditvm.model.flops.FlopCounter;
import ditvm.model.weights.DiTWeights;
import ditvm.testing.TestDevices;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one-block graph the block benchmarks time: it runs everywhere and costs one block of the analytic count. */
class SingleBlockTest {
    static final DiTConfig TINY = new DiTConfig(3, 32, 2, 2, 8, 4, 10, true, 4);

    static Stream<Arguments> cases() {
        return TestDevices.all().flatMap(d -> Stream.of(Variant.values()).map(v -> Arguments.of(d, v)));
    }

    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("cases")
    void oneBlockCostsADepthth(Device device, Variant v) {
        int batch = 2;
        FlopCount count = FlopCounter.count(TINY, v, batch);
        long perBlock = 0;
        for (String c : List.of(FlopCounter.ADALN, FlopCounter.QKV, FlopCounter.ATTN_QK, FlopCounter.ATTN_V,
                FlopCounter.ATTN_PROJ, FlopCounter.FC1, FlopCounter.FC2, FlopCounter.CROSS_Q, FlopCounter.CROSS_KV,
                FlopCounter.CROSS_QK, FlopCounter.CROSS_V, FlopCounter.CROSS_PROJ)) {
            perBlock += count.macs(c);
        }
        try (DiTWeights w = DiTWeights.random(TINY, v, 1, 0.1f); SingleBlock block = SingleBlock.build(w, batch, device)) {
            block.execute();
            block.execute();
            assertThat(block.cost().macs() * TINY.depth()).isEqualTo(perBlock);
        }
    }
}
