package ditvm.harness.peers;

import java.util.List;

/**
 * One peer's measurement of a row: wall ms per forward pass of every timed execution (interleaved
 * with ditvm's), and how far its output is from ditvm's: max|peer - ditvm| / max|ditvm|.
 */
public record PeerResult(String label, String description, double medianMs, double p10Ms, double p90Ms,
                         double imagesPerS, double maxRelativeDiff, List<Double> wallMs) {
    public PeerResult {
        wallMs = List.copyOf(wallMs);
    }
}
