package ditvm.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ditvm.harness.peers.PeerException;
import ditvm.harness.peers.PeerResult;
import ditvm.harness.peers.Peers;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** --peers without the peers module, and rows with peers through results.json and the report. */
class PeersTest {

    @Test
    void aPeerThatIsNotBuiltSaysHowToBuildIt() {
        // the core module's test class path has no experiments-peers jars
        assertThatThrownBy(() -> Peers.of(List.of("onnxruntime"), Path.of("work"), 2))
                .isInstanceOf(PeerException.class).hasMessageContaining("peer onnxruntime is not built: run `make peers`");
        assertThatThrownBy(() -> Peers.of(List.of("libtorch"), Path.of("work"), 2))
                .isInstanceOf(PeerException.class).hasMessageContaining("make peers");
    }

    @Test
    void anUnknownPeerIsBadUsage() {
        assertThatThrownBy(() -> Peers.of(List.of("tensorflow"), Path.of("work"), 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("onnxruntime, libtorch, pytorch");
    }

    static Row row(String variant, double imagesPerS, Map<String, PeerResult> peers) {
        return new Row(variant, "DiT-S/2", 256, 8, "opencl:0:0", "fp32", 1, 6.0, 3, 100, 90, 110, 95, imagesPerS, 200, 80.0,
                1, 2, 2, List.of(100.0), List.of(95.0), null, null, null, peers, null);
    }

    @Test
    void peersSurviveResultsJsonAndGetTheirColumns() {
        PeerResult ort = new PeerResult("ONNX Runtime", "ONNX Runtime 1.22.0", 200, 190, 210, 40.0, 3e-7, List.of(200.0));
        PeerResult torch = new PeerResult("PyTorch 1.13", "PyTorch 1.13", 400, 390, 410, 20.0, 2e-7, List.of(400.0));
        RunResults run = new RunResults(Map.of("git_commit", "abc"), "bin/ditvm ablation --peers onnxruntime,pytorch", List.of(),
                List.of(row("adaln-zero", 80.0, Map.of("onnxruntime", ort)), row("adaln", 60.0, Map.of("onnxruntime", ort, "pytorch", torch))));
        RunResults back = RunResults.JSON.convertValue(RunResults.JSON.valueToTree(run), RunResults.class);
        assertThat(back.rows().get(1).peers()).containsOnlyKeys("onnxruntime", "pytorch");
        assertThat(back.rows().get(1).peers().get("pytorch")).isEqualTo(torch);

        String md = Report.markdown(back);
        assertThat(md).contains("| vs adaLN-Zero | vs ONNX Runtime | vs PyTorch 1.13 |");
        assertThat(md).contains("| 1.00x | 2.00x | - |"); // adaln-zero: 80 / 40, no pytorch
        assertThat(md).contains("| 0.75x | 1.50x | 3.00x |");
        assertThat(Report.markdown(back)).isEqualTo(md);
        assertThat(Report.csv(back).lines().toList().get(2)).endsWith(",40.0000,,20.0000,,,,,"); // then the five empty sampling columns
    }

    @Test
    void rowsWrittenBeforePeersExistedReadBack() throws Exception {
        String old = RunResults.JSON.writeValueAsString(row("adaln", 1, Map.of())).replace(",\n  \"peers\" : { }", "");
        assertThat(old).doesNotContain("peers");
        assertThat(RunResults.JSON.readValue(old, Row.class).peers()).isEmpty();
    }
}
