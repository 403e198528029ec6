package ditvm.model;

import ditvm.model.fixtures.ReferenceFixtures;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

/** The PyTorch-reference fixtures committed as test resources under {@code fixtures/}. */
public final class Fixtures {

    private Fixtures() {
    }

    public static Path dir() {
        try {
            return Path.of(Fixtures.class.getResource("/fixtures/fixtures.json").toURI()).getParent();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    public static List<ReferenceFixtures.Fixture> all() {
        return ReferenceFixtures.read(dir());
    }

    public static ReferenceFixtures.Fixture get(String name) {
        return all().stream().filter(f -> f.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no fixture " + name));
    }
}
