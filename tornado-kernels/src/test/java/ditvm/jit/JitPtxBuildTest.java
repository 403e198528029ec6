package ditvm.jit;

import static org.assertj.core.api.Assertions.assertThat;

import ditvm.cuda.PtxBuildTestAccess;
import ditvm.kernel.KernelSources;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CUDA C the JIT generates, without a GPU: every kernel of the JIT tests ({@link JitKernels},
 * {@link BasicKernels}) and a sample of fuzz programs ({@link FuzzProgram}, 2 classes of 40
 * functions) compiles with {@code nvcc -ptx} and passes {@code ptxas} for sm_80 and sm_90, and
 * each PTX declares its entry point. One nvcc call per arch for all of them: each program goes
 * in a namespace of its own (the entries are extern "C" with distinct names). Skipped, with
 * the reason, where nvcc or ptxas is absent.
 */
class JitPtxBuildTest {
    @TempDir
    Path tmp;

    record Program(String name, String entry, String text) {
    }

    @Test
    void generatedCudaCompilesToPtxAndPassesPtxas() throws Exception {
        Optional<Path> nvcc = PtxBuildTestAccess.tool("nvcc");
        Optional<Path> ptxas = PtxBuildTestAccess.tool("ptxas");
        String why = "JIT CUDA PTX checks skipped: " + (nvcc.isEmpty() ? "nvcc" : "ptxas")
                + " not found in $CUDA_HOME/bin, PATH or /usr/local/cuda/bin";
        if (nvcc.isEmpty() || ptxas.isEmpty()) {
            System.out.println(why);
        }
        Assumptions.assumeTrue(nvcc.isPresent() && ptxas.isPresent(), why);

        List<Method> kernels = new ArrayList<>();
        for (Class<?> c : List.of(JitKernels.class, BasicKernels.class)) {
            Arrays.stream(c.getDeclaredMethods()).filter(m -> Modifier.isPublic(m.getModifiers()) && Modifier.isStatic(m.getModifiers())
                    && m.getReturnType() == void.class).sorted(Comparator.comparing(Method::getName)).forEach(kernels::add);
        }
        List<FuzzProgram.Source> fuzz = List.of(FuzzProgram.generate("ditvm.jit.fuzzptx", "FuzzPtx0", 40, 77),
                FuzzProgram.generate("ditvm.jit.fuzzptx", "FuzzPtx1", 40, 78));
        ClassLoader loader = FuzzProgram.compile(fuzz, tmp.resolve("classes"));
        for (FuzzProgram.Source s : fuzz) {
            kernels.add(JitRun.method(loader.loadClass(s.className()), "all"));
        }
        List<Program> programs = new ArrayList<>();
        for (Method m : kernels) {
            JavaKernel k = JavaKernel.of(m);
            programs.add(new Program(m.getDeclaringClass().getSimpleName() + "." + m.getName(), k.entryPoint(),
                    k.programText(KernelSources.Target.CUDA)));
        }
        StringBuilder unit = new StringBuilder();
        List<String> index = new ArrayList<>(); // where each program starts in the unit
        for (int p = 0; p < programs.size(); p++) {
            index.add("line " + (unit.chars().filter(ch -> ch == '\n').count() + 2) + ": " + programs.get(p).name());
            unit.append("namespace jit").append(p).append(" {\n").append(programs.get(p).text()).append("\n}\n");
        }
        Path cu = tmp.resolve("jit.cu");
        Files.writeString(cu, unit);
        for (String arch : List.of("sm_80", "sm_90")) {
            Path ptx = tmp.resolve("jit_" + arch + ".ptx");
            String where = programs.size() + " JIT programs (" + String.join(", ", index) + ")";
            PtxBuildTestAccess.run(List.of(nvcc.get().toString(), "-ptx", "-arch=" + arch, "-o", ptx.toString(), cu.toString()),
                    "nvcc " + arch + " of " + where);
            String text = Files.readString(ptx);
            for (Program p : programs) {
                assertThat(text).as(p.name() + " " + arch + " declares its entry " + p.entry()).contains(".entry " + p.entry() + "(");
            }
            PtxBuildTestAccess.run(List.of(ptxas.get().toString(), "-arch=" + arch, ptx.toString(), "-o",
                    tmp.resolve("jit_" + arch + ".cubin").toString()), "ptxas " + arch + " of " + where);
        }
        System.out.println("JitPtxBuildTest: " + programs.size() + " JIT programs (" + (kernels.size() - fuzz.size())
                + " test kernels, " + fuzz.size() + " fuzz classes of 40 functions) built for sm_80 and sm_90");
    }
}
