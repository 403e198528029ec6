package ditvm.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** The four ways a DiT block is conditioned on (t, y) (dit-spec.md section 3, paper Figure 5). */
public enum Variant {
    /** Official DiT: gated adaLN, modulation Linear(D -> 6D) zero-initialised. */
    ADALN_ZERO("adaln-zero"),
    /** adaLN without gates: modulation Linear(D -> 4D). */
    ADALN("adaln"),
    /** t and y embeddings appended as two extra tokens; plain pre-LN ViT blocks. */
    IN_CONTEXT("in-context"),
    /** Blocks cross-attend to the length-2 sequence [t_emb, y_emb]. */
    CROSS_ATTENTION("cross-attention");

    private final String cliName;

    Variant(String cliName) {
        this.cliName = cliName;
    }

    /** Whether c = t_emb + y_emb drives adaLN modulation (blocks and final layer). */
    public boolean usesAdaLn() {
        return this == ADALN_ZERO || this == ADALN;
    }

    /** The name on the command line and in results: {@code adaln-zero}, {@code in-context}, ... */
    public String cliName() {
        return cliName;
    }

    @Override
    public String toString() {
        return cliName;
    }

    /** A variant by its CLI name (case-insensitive; the enum constant name is accepted too). */
    public static Variant parse(String name) {
        String n = name == null ? "" : name.trim();
        for (Variant v : values()) {
            if (v.cliName.equalsIgnoreCase(n) || v.name().equalsIgnoreCase(n)) {
                return v;
            }
        }
        throw new IllegalArgumentException("unknown variant '" + name + "': expected one of " + validNames());
    }

    /** A comma-separated list of variants in the given order, or {@code all} for every one. */
    public static List<Variant> parseList(String list) {
        String l = list == null ? "" : list.trim();
        if (l.equalsIgnoreCase("all")) {
            return List.of(values());
        }
        List<Variant> out = new ArrayList<>();
        for (String part : l.split(",", -1)) {
            if (part.isBlank()) {
                throw new IllegalArgumentException("empty entry in variant list '" + list
                        + "': expected a comma list of " + validNames() + ", or all");
            }
            Variant v = parse(part);
            if (out.contains(v)) {
                throw new IllegalArgumentException("variant " + v.cliName + " listed twice in '" + list + "'");
            }
            out.add(v);
        }
        return List.copyOf(out);
    }

    private static String validNames() {
        return Arrays.stream(values()).map(Variant::cliName).collect(Collectors.joining(", "));
    }
}
