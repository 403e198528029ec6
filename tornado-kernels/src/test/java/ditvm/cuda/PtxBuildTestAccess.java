package ditvm.cuda;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** {@link PtxBuildTest}'s tool lookup and process runner, for the JIT's PTX test in another package. */
public final class PtxBuildTestAccess {
    private PtxBuildTestAccess() {
    }

    public static Optional<Path> tool(String name) {
        return PtxBuildTest.tool(name);
    }

    public static String run(List<String> cmd, String what) throws IOException, InterruptedException {
        return PtxBuildTest.run(cmd, what);
    }
}
