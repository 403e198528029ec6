package ditvm.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The PyTorch-reference fixtures (experiments/reference/make_fixtures.py) under
 * test resources {@code fixtures/}, described by fixtures.json.
 */
public final class Fixtures {

    /** One fixture: its config, variant, batch, and files. */
    public record Fixture(String name, DiTConfig config, Variant variant, int batch, Path weights, Path io,
                          float cfgScale, int cfgGuidedChannels) {
        @Override
        public String toString() {
            return name;
        }
    }

    private Fixtures() {
    }

    public static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/fixtures.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<Fixture> all() {
        try {
            JsonNode root = new ObjectMapper().readTree(dir().resolve("fixtures.json").toFile());
            List<Fixture> out = new ArrayList<>();
            for (JsonNode f : root.get("fixtures")) {
                JsonNode c = f.get("config");
                DiTConfig config = new DiTConfig(c.get("depth").asInt(), c.get("hidden").asInt(), c.get("heads").asInt(),
                        c.get("patch").asInt(), c.get("input_size").asInt(), c.get("in_channels").asInt(),
                        c.get("num_classes").asInt(), c.get("learn_sigma").asBoolean(), c.get("mlp_ratio").asInt());
                out.add(new Fixture(f.get("name").asText(), config, Variant.parse(f.get("variant").asText()),
                        f.get("batch").asInt(), dir().resolve(f.get("weights").asText()), dir().resolve(f.get("io").asText()),
                        (float) f.path("cfg_scale").asDouble(4.0), f.path("cfg_guided_channels").asInt(3)));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Fixture get(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture " + name));
    }
}
