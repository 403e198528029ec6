package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Random kernels as Java source, Csmith's way but small: each function {@code fJ} is a few
 * typed statements over int, long, float and double (expression trees with casts, shifts of
 * any count, wrapping arithmetic, division, min/max, ternaries, if/else, loops, a switch),
 * returning the bits of its result; one @Parallel kernel per class, {@code all}, calls every
 * function for every input and stores the 64 result bits of function j, input i at
 * {@code out[2 * (j * n + i)]} (low word) and {@code +1} (high word).
 *
 * <p>Division and remainder by zero: Java throws ArithmeticException, a device gives 0
 * (jit-java.h), so every integer divisor goes through {@code nzI} / {@code nzL} (0 becomes 1)
 * and the results stay comparable. MIN_VALUE / -1 and % -1 stay possible. A NaN result is
 * returned as the canonical NaN's bits: NaN payloads are not specified across devices.
 */
final class FuzzProgram {
    enum T {
        INT("int"), LONG("long"), FLOAT("float"), DOUBLE("double");

        final String java;

        T(String java) {
            this.java = java;
        }
    }

    /** Inputs of every function: three ints, two floats; a long and a double derived from them. */
    static final String PARAMS = "int a, int b, int c, float f, float g";

    private final SplittableRandom rnd;
    private final List<String> locals = new ArrayList<>(); // "type name"
    private int nextLocal;
    private int loopDepth;

    private FuzzProgram(long seed) {
        this.rnd = new SplittableRandom(seed);
    }

    /** The source of class {@code name} with {@code functions} random functions, from {@code seed}. */
    static Source generate(String pkg, String name, int functions, long seed) {
        List<String> fns = new ArrayList<>();
        for (int j = 0; j < functions; j++) {
            fns.add(new FuzzProgram(seed * 1_000_003L + j).function(j));
        }
        StringBuilder sb = new StringBuilder();
        sb.append("package ").append(pkg).append(";\n\n")
                .append("import ditvm.api.KernelMath;\nimport ditvm.api.Parallel;\nimport ditvm.memory.FloatArray;\nimport ditvm.memory.IntArray;\n\n")
                .append("public final class ").append(name).append(" {\n")
                .append("    static final int FUNCTIONS = ").append(functions).append(";\n\n")
                .append("    public static void all(IntArray xi, FloatArray xf, IntArray out, int n) {\n")
                .append("        for (@Parallel int i = 0; i < n; i++) {\n")
                .append("            int a = xi.get(i), b = xi.get(i + n), c = xi.get(i + 2 * n);\n")
                .append("            float f = xf.get(i), g = xf.get(i + n);\n")
                .append("            long r;\n");
        for (int j = 0; j < functions; j++) {
            sb.append("            r = f").append(j).append("(a, b, c, f, g);\n")
                    .append("            out.set(2L * (").append(j).append("L * n + i), (int) r);\n")
                    .append("            out.set(2L * (").append(j).append("L * n + i) + 1, (int) (r >>> 32));\n");
        }
        sb.append("        }\n    }\n\n")
                .append("    static int nzI(int x) {\n        return x == 0 ? 1 : x;\n    }\n\n")
                .append("    static long nzL(long x) {\n        return x == 0 ? 1 : x;\n    }\n\n")
                .append("    static long bitsF(float x) {\n        return Float.isNaN(x) ? 0x7fc00000 : Float.floatToRawIntBits(x);\n    }\n\n")
                .append("    static long bitsD(double x) {\n        return Double.isNaN(x) ? 0x7ff8000000000000L : Double.doubleToRawLongBits(x);\n    }\n");
        for (String f : fns) {
            sb.append('\n').append(f);
        }
        sb.append("}\n");
        return new Source(pkg + "." + name, sb.toString(), fns);
    }

    /** javac in-process, -g -parameters, the test class path; the classes load beside the test's. */
    static ClassLoader compile(List<Source> sources, Path dir) throws Exception {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a JDK's javac (ToolProvider.getSystemJavaCompiler)").isNotNull();
        Path out = Files.createDirectories(dir);
        List<JavaFileObject> units = new ArrayList<>();
        for (Source s : sources) {
            units.add(new SimpleJavaFileObject(java.net.URI.create("string:///" + s.className().replace('.', '/') + ".java"),
                    JavaFileObject.Kind.SOURCE) {
                @Override
                public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                    return s.text();
                }
            });
        }
        StringWriter log = new StringWriter();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            boolean ok = javac.getTask(log, files, null, List.of("-g", "-parameters", "-proc:none", "-d", out.toString(),
                    "-classpath", System.getProperty("java.class.path")), null, units).call();
            assertThat(ok).as(() -> "javac of the generated programs:\n" + log + "\nfirst source:\n" + sources.getFirst().text())
                    .isTrue();
        }
        return new URLClassLoader(new URL[] {out.toUri().toURL()}, FuzzProgram.class.getClassLoader());
    }

    record Source(String className, String text, List<String> functions) {
    }

    private String function(int j) {
        StringBuilder sb = new StringBuilder();
        sb.append("    static long f").append(j).append('(').append(PARAMS).append(") {\n");
        locals.clear();
        locals.add("int a");
        locals.add("int b");
        locals.add("int c");
        locals.add("float f");
        locals.add("float g");
        sb.append("        long L = ((long) a << 32) | (b & 0xffffffffL);\n");
        sb.append("        double D = (c & 1) == 0 ? Double.longBitsToDouble(L) : (double) f / 3.0;\n");
        locals.add("long L");
        locals.add("double D");
        int statements = 1 + rnd.nextInt(3);
        for (int s = 0; s < statements; s++) {
            statement(sb, "        ");
        }
        T rt = type();
        String e = expr(rt, 3);
        sb.append("        return ").append(switch (rt) {
            case INT -> "(long) (" + e + ")";
            case LONG -> e;
            case FLOAT -> "bitsF(" + e + ")";
            case DOUBLE -> "bitsD(" + e + ")";
        }).append(";\n    }\n");
        return sb.toString();
    }

    private T type() {
        return T.values()[rnd.nextInt(4)];
    }

    private String fresh(T t) {
        return switch (t) {
            case INT -> "i";
            case LONG -> "l";
            case FLOAT -> "x";
            case DOUBLE -> "d";
        } + nextLocal++;
    }

    private void statement(StringBuilder sb, String ind) {
        int k = rnd.nextInt(11);
        if (k < 4 || locals.size() < 8) {
            T t = type();
            String name = fresh(t);
            sb.append(ind).append(t.java).append(' ').append(name).append(" = ").append(expr(t, 3)).append(";\n");
            locals.add(t.java + " " + name);
        } else if (k < 6) {
            String v = assignable();
            String op = List.of("+=", "-=", "*=", "^=", "|=", "<<=", ">>=", ">>>=").get(rnd.nextInt(8));
            T vt = typeOf(v);
            if ((vt == T.FLOAT || vt == T.DOUBLE) && !"+=-=*=".contains(op)) {
                op = "+=";
            }
            // compound assignment with an operand of another type: an implicit narrowing cast back
            T et = (op.equals("+=") || op.equals("-=") || op.equals("*=")) ? type()
                    : vt == T.LONG || rnd.nextBoolean() ? T.LONG : T.INT;
            sb.append(ind).append(name(v)).append(' ').append(op).append(' ').append(expr(et, 2)).append(";\n");
        } else if (k < 7) {
            String v = assignable();
            sb.append(ind).append("if (").append(cond(2)).append(") {\n");
            sb.append(ind).append("    ").append(name(v)).append(" = ").append(expr(typeOf(v), 2)).append(";\n");
            sb.append(ind).append("} else {\n");
            sb.append(ind).append("    ").append(name(v)).append(" = ").append(expr(typeOf(v), 2)).append(";\n");
            sb.append(ind).append("}\n");
        } else if (k < 9 && loopDepth < 2) {
            String v = assignable();
            String kv = "k" + nextLocal++;
            loopDepth++;
            int shape = rnd.nextInt(3);
            switch (shape) {
                case 0 -> sb.append(ind).append("for (int ").append(kv).append(" = 0; ").append(kv).append(" < (")
                        .append(expr(T.INT, 1)).append(" & 7); ").append(kv).append("++) {\n");
                case 1 -> sb.append(ind).append("int ").append(kv).append(" = ").append(expr(T.INT, 1)).append(" & 7;\n")
                        .append(ind).append("while (").append(kv).append("-- > 0) {\n");
                default -> sb.append(ind).append("int ").append(kv).append(" = ").append(expr(T.INT, 1)).append(" & 3;\n")
                        .append(ind).append("do {\n");
            }
            locals.add("int " + kv);
            sb.append(ind).append("    ").append(name(v)).append(" = ").append(expr(typeOf(v), 2)).append(";\n");
            if (rnd.nextInt(3) == 0) {
                sb.append(ind).append("    if (").append(cond(1)).append(") ").append(rnd.nextBoolean() ? "break" : "continue")
                        .append(";\n");
            }
            sb.append(ind).append("    ").append(name(v)).append(" = ").append(expr(typeOf(v), 2)).append(";\n");
            if (shape == 2) {
                sb.append(ind).append("} while (").append(kv).append("-- > 0);\n");
            } else {
                sb.append(ind).append("}\n");
            }
            locals.remove("int " + kv);
            loopDepth--;
        } else if (k < 10) {
            // a private register tile: filled in a loop, read at a computed index
            String v = assignable();
            T et = rnd.nextBoolean() ? T.INT : T.FLOAT;
            String arr = "t" + nextLocal++, kv = "k" + nextLocal++;
            sb.append(ind).append(et.java).append("[] ").append(arr).append(" = new ").append(et.java).append("[8];\n");
            sb.append(ind).append("for (int ").append(kv).append(" = 0; ").append(kv).append(" < 8; ").append(kv).append("++) {\n");
            locals.add("int " + kv);
            sb.append(ind).append("    ").append(arr).append('[').append(kv).append("] = ").append(expr(et, 2)).append(";\n");
            locals.remove("int " + kv);
            sb.append(ind).append("}\n");
            sb.append(ind).append(name(v)).append(" += ").append(arr).append("[").append(expr(T.INT, 1)).append(" & 7];\n");
        } else {
            String v = assignable();
            T vt = typeOf(v);
            sb.append(ind).append("switch (").append(expr(T.INT, 1)).append(rnd.nextBoolean() ? " & 7" : " % 1000").append(") {\n");
            int cases = 1 + rnd.nextInt(4);
            boolean sparse = rnd.nextBoolean(); // lookupswitch rather than tableswitch
            java.util.Set<Integer> used = new java.util.TreeSet<>();
            for (int i = 0; i < cases; i++) {
                int label = sparse ? rnd.nextInt(-999, 1000) : i;
                if (!used.add(label)) {
                    continue;
                }
                sb.append(ind).append("    case ").append(label).append(" -> ").append(name(v)).append(" = ")
                        .append(expr(vt, 2)).append(";\n");
            }
            sb.append(ind).append("    default -> ").append(name(v)).append(" = ").append(expr(vt, 1)).append(";\n");
            sb.append(ind).append("}\n");
        }
    }

    /** A local that statements may assign (not a parameter: the long/double preamble reads them). */
    private String assignable() {
        List<String> mine = locals.subList(7, locals.size()).stream().filter(l -> !l.contains(" k")).toList();
        if (mine.isEmpty()) {
            return locals.get(5 + rnd.nextInt(2)); // L or D
        }
        return mine.get(rnd.nextInt(mine.size()));
    }

    private static T typeOf(String local) {
        return T.valueOf(local.substring(0, local.indexOf(' ')).toUpperCase(Locale.ROOT));
    }

    private static String name(String local) {
        return local.substring(local.indexOf(' ') + 1);
    }

    private String leaf(T t) {
        List<String> of = locals.stream().filter(l -> typeOf(l) == t).toList();
        if (!of.isEmpty() && rnd.nextInt(3) != 0) {
            return name(of.get(rnd.nextInt(of.size())));
        }
        return constant(t);
    }

    private String constant(T t) {
        return switch (t) {
            case INT -> pick("0", "1", "-1", "2", "7", "31", "32", "33", "-33", "63", "64", "65", "Integer.MIN_VALUE",
                    "Integer.MAX_VALUE", "0x7fff", "0xffff", "(-128)", "(" + rnd.nextInt(-1000, 1000) + ")",
                    "(" + rnd.nextInt() + ")");
            case LONG -> pick("0L", "1L", "-1L", "63L", "64L", "Long.MIN_VALUE", "Long.MAX_VALUE", "0xffffffffL",
                    "(" + rnd.nextLong() + "L)", "(" + rnd.nextInt(-1000, 1000) + "L)");
            case FLOAT -> pick("0.0f", "(-0.0f)", "1.0f", "(-1.0f)", "0.5f", "3.0f", "Float.NaN", "Float.POSITIVE_INFINITY",
                    "Float.NEGATIVE_INFINITY", "Float.MIN_VALUE", "Float.MAX_VALUE", "1.17549435E-38f", "2.1474836E9f",
                    "(" + Float.toHexString(finite(Float.intBitsToFloat(rnd.nextInt()))) + "f)",
                    "(" + rnd.nextInt(-100, 100) + ".25f)");
            case DOUBLE -> pick("0.0", "(-0.0)", "1.0", "(-1.0)", "0.1", "Double.NaN", "Double.POSITIVE_INFINITY",
                    "Double.NEGATIVE_INFINITY", "Double.MIN_VALUE", "Double.MAX_VALUE", "9.223372036854776E18",
                    "(" + Double.toHexString(finite(Double.longBitsToDouble(rnd.nextLong()))) + ")",
                    "(" + rnd.nextInt(-100, 100) + ".5)");
        };
    }

    private String pick(String... options) {
        return options[rnd.nextInt(options.length)];
    }

    private static float finite(float x) {
        return Float.isFinite(x) ? x : 1.5f;
    }

    private static double finite(double x) {
        return Double.isFinite(x) ? x : 1.5;
    }

    String expr(T t, int depth) {
        if (depth <= 0 || rnd.nextInt(5) == 0) {
            return leaf(t);
        }
        int d = depth - 1;
        return switch (t) {
            case INT -> switch (rnd.nextInt(16)) {
                case 0, 1 -> bin(t, d, "+", "-", "*");
                case 2 -> "(" + expr(t, d) + pick(" / ", " % ") + "nzI(" + expr(t, d) + "))";
                case 3 -> bin(t, d, "&", "|", "^");
                case 4, 5 -> "(" + expr(t, d) + pick(" << ", " >> ", " >>> ") + expr(rnd.nextInt(4) == 0 ? T.LONG : T.INT, d) + ")";
                case 6 -> "(" + pick("-", "~") + " " + expr(t, d) + ")";
                case 7 -> "((int) " + expr(pickType(T.LONG, T.FLOAT, T.DOUBLE), d) + ")";
                case 8 -> "((" + pick("byte", "char", "short") + ") " + expr(t, d) + ")";
                case 9 -> "Math." + pick("min", "max") + "(" + expr(t, d) + ", " + expr(t, d) + ")";
                case 10 -> "Math.abs(" + expr(t, d) + ")";
                case 11 -> "(" + cond(d) + " ? " + expr(t, d) + " : " + expr(t, d) + ")";
                case 12 -> "((int) (bitsF(" + expr(T.FLOAT, d) + ") >>> 9))"; // NaN bits are not specified: canonical
                case 13 -> increment(d);
                case 14 -> "KernelMath.clamp(" + expr(t, d) + ", " + expr(t, d) + ", " + expr(t, d) + ")";
                default -> "((int) (" + expr(T.LONG, d) + " >>> " + expr(T.INT, d) + "))";
            };
            case LONG -> switch (rnd.nextInt(12)) {
                case 0, 1 -> bin(t, d, "+", "-", "*");
                case 2 -> "(" + expr(t, d) + pick(" / ", " % ") + "nzL(" + expr(t, d) + "))";
                case 3 -> bin(t, d, "&", "|", "^");
                case 4, 5 -> "(" + expr(t, d) + pick(" << ", " >> ", " >>> ") + expr(rnd.nextBoolean() ? T.LONG : T.INT, d) + ")";
                case 6 -> "(" + pick("-", "~") + " " + expr(t, d) + ")";
                case 7 -> "((long) " + expr(pickType(T.INT, T.FLOAT, T.DOUBLE), d) + ")";
                case 8 -> "Math." + pick("min", "max") + "(" + expr(t, d) + ", " + expr(t, d) + ")";
                case 9 -> "(" + cond(d) + " ? " + expr(t, d) + " : " + expr(t, d) + ")";
                case 10 -> "Math.abs(" + expr(t, d) + ")";
                default -> "(" + expr(T.INT, d) + " & 0xffffffffL)";
            };
            case FLOAT -> switch (rnd.nextInt(9)) {
                case 0, 1, 2 -> bin(t, d, "+", "-", "*", "/");
                case 3 -> bin(t, d, "%");
                case 4 -> "(- " + expr(t, d) + ")";
                case 5 -> "((float) " + expr(pickType(T.INT, T.LONG, T.DOUBLE), d) + ")";
                case 6 -> "Math." + pick("min", "max") + "(" + expr(t, d) + ", " + expr(t, d) + ")";
                case 7 -> rnd.nextBoolean() ? "Math.abs(" + expr(t, d) + ")"
                        : "KernelMath.clamp(" + expr(t, d) + ", " + expr(t, d) + ", " + expr(t, d) + ")";
                default -> "(" + cond(d) + " ? " + expr(t, d) + " : " + expr(t, d) + ")";
            };
            case DOUBLE -> switch (rnd.nextInt(9)) {
                case 0, 1, 2 -> bin(t, d, "+", "-", "*", "/");
                case 3 -> rnd.nextBoolean() ? bin(t, d, "%") : "Math." + pick("sqrt", "floor", "ceil") + "(" + expr(t, d) + ")";
                case 4 -> "(- " + expr(t, d) + ")";
                case 5 -> "((double) " + expr(pickType(T.INT, T.LONG, T.FLOAT), d) + ")";
                case 6 -> "Math." + pick("min", "max") + "(" + expr(t, d) + ", " + expr(t, d) + ")";
                case 7 -> "Math.abs(" + expr(t, d) + ")";
                default -> "(" + cond(d) + " ? " + expr(t, d) + " : " + expr(t, d) + ")";
            };
        };
    }

    /** i++, ++i, i--, --i of an int local inside an expression (iinc while the old value is on the stack). */
    private String increment(int d) {
        List<String> ints = locals.stream().filter(l -> l.startsWith("int ") && !name(l).startsWith("k")).toList();
        String v = name(ints.get(rnd.nextInt(ints.size())));
        String op = pick("++", "--");
        return rnd.nextBoolean() ? "(" + v + op + " + " + expr(T.INT, d) + ")" : "(" + op + v + " * " + expr(T.INT, d) + ")";
    }

    private T pickType(T... ts) {
        return ts[rnd.nextInt(ts.length)];
    }

    private String bin(T t, int d, String... ops) {
        return "(" + expr(t, d) + " " + ops[rnd.nextInt(ops.length)] + " " + expr(t, d) + ")";
    }

    private String cond(int depth) {
        int k = rnd.nextInt(depth <= 0 ? 4 : 6);
        if (k < 4) {
            T t = T.values()[k];
            return "(" + expr(t, Math.max(0, depth - 1)) + " " + pick("<", "<=", ">", ">=", "==", "!=") + " "
                    + expr(t, Math.max(0, depth - 1)) + ")";
        } else if (k == 4) {
            return "(" + cond(depth - 1) + pick(" && ", " || ") + cond(depth - 1) + ")";
        }
        return "!" + cond(depth - 1);
    }
}
