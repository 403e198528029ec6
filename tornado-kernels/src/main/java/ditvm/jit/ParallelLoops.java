package ditvm.jit;

import java.lang.classfile.Attributes;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Label;
import java.lang.classfile.Opcode;
import java.lang.classfile.PseudoInstruction;
import java.lang.classfile.TypeAnnotation;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.ConvertInstruction;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.OperatorInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Finds a kernel's {@code for (@Parallel int i = START; i < BOUND; i += STEP)} loops. javac
 * keeps the annotation as a local-variable type annotation whose range starts at the loop
 * header; the loop it compiles is
 * <pre>
 *   START; istore i          (init)
 *   header: iload i; BOUND; if_icmpge exit     (or i2l ... lcmp; ifge exit for a long length())
 *   body ...
 *   iinc i STEP; goto header  (latch)
 *   exit:
 * </pre>
 * Anything else annotated @Parallel is refused, as is a break or return out of the loop (its
 * iterations then would not be independent). On a device each work-item runs one iteration:
 * {@code i = START + global_id * STEP}, the header's test guarding the rounded-up NDRange, the
 * back edge going to the exit.
 */
final class ParallelLoops {
    static final String PARALLEL = "Lditvm/api/Parallel;";

    /** The loop bound, evaluated from the task's arguments at launch. */
    record Bound(Kind kind, int value) {
        enum Kind { CONSTANT, INT_PARAMETER, ARRAY_LENGTH }
    }

    /** Element indices into the method's code; {@code dim} 0 is the innermost. */
    record Loop(int slot, int dim, int initIndex, int headerIndex, int latchIndex, Label exit, int start, int step,
                Bound bound) {
    }

    private ParallelLoops() {
    }

    /**
     * @param paramOfSlot the parameter index of a local slot, or -1 when the slot is not a parameter
     * @param where       the error prefix for an element index ("Class.method (File.java:line)")
     */
    static List<Loop> find(CodeModel code, List<CodeElement> elements, IntFunction<Integer> paramOfSlot,
                           IntFunction<String> where, java.util.Set<Integer> storedSlots) {
        List<TypeAnnotation.LocalVarTargetInfo> targets = new ArrayList<>();
        code.findAttribute(Attributes.runtimeVisibleTypeAnnotations()).ifPresent(a -> {
            for (TypeAnnotation ta : a.annotations()) {
                if (ta.annotation().className().equalsString(PARALLEL)
                        && ta.targetInfo() instanceof TypeAnnotation.LocalVarTarget lv) {
                    targets.addAll(lv.table());
                }
            }
        });
        Map<Label, Integer> labelIndex = new java.util.HashMap<>();
        for (int i = 0; i < elements.size(); i++) {
            if (elements.get(i) instanceof LabelTarget t) {
                labelIndex.put(t.label(), i);
            }
        }
        List<Loop> loops = new ArrayList<>();
        for (TypeAnnotation.LocalVarTargetInfo t : targets) {
            Integer header = labelIndex.get(t.startLabel());
            if (header == null) {
                throw new IllegalStateException("type annotation range starts at an unknown label");
            }
            loops.add(loop(elements, header, t.index(), paramOfSlot, where, storedSlots, labelIndex));
        }
        loops.sort(java.util.Comparator.comparingInt(Loop::headerIndex));
        if (loops.size() > 3) {
            throw new KernelCompileException(where.apply(loops.get(3).headerIndex()), "more than three @Parallel loops");
        }
        for (int i = 1; i < loops.size(); i++) {
            Loop outer = loops.get(i - 1), inner = loops.get(i);
            if (inner.headerIndex() > outer.latchIndex()) {
                throw new KernelCompileException(where.apply(inner.headerIndex()),
                        "@Parallel loops must be nested, one inside the other (this one follows another)");
            }
        }
        List<Loop> withDims = new ArrayList<>();
        for (int i = 0; i < loops.size(); i++) {
            Loop l = loops.get(i);
            withDims.add(new Loop(l.slot(), loops.size() - 1 - i, l.initIndex(), l.headerIndex(), l.latchIndex(), l.exit(),
                    l.start(), l.step(), l.bound()));
        }
        return withDims;
    }

    private static Loop loop(List<CodeElement> el, int header, int slot, IntFunction<Integer> paramOfSlot,
                             IntFunction<String> where, java.util.Set<Integer> storedSlots, Map<Label, Integer> labelIndex) {
        String shape = "a @Parallel loop must read for (@Parallel int i = START; i < BOUND; i += STEP) with constant START "
                + "and STEP > 0 and BOUND an int parameter, a constant or a parameter array's length()";
        int init = previousInstruction(el, header);
        int startAt = previousInstruction(el, init);
        if (init < 0 || !(el.get(init) instanceof StoreInstruction st) || st.slot() != slot
                || startAt < 0 || !(el.get(startAt) instanceof ConstantInstruction start)
                || !(start.constantValue() instanceof Integer startValue)) {
            throw new KernelCompileException(where.apply(header), shape + " (the start is not a constant)");
        }
        // header: iload i, bound, compare
        List<Integer> h = new ArrayList<>();
        for (int i = header + 1; i < el.size() && h.size() < 6; i++) {
            if (!(el.get(i) instanceof PseudoInstruction)) {
                h.add(i);
            }
        }
        if (!(el.get(h.get(0)) instanceof LoadInstruction ld) || ld.slot() != slot) {
            throw new KernelCompileException(where.apply(header), shape);
        }
        Bound bound;
        BranchInstruction exitBranch;
        if (el.get(h.get(1)) instanceof ConvertInstruction c && c.opcode() == Opcode.I2L) {
            // i2l; aload a; invokevirtual length()J; lcmp; ifge exit
            if (!(el.get(h.get(2)) instanceof LoadInstruction arr) || !isLength(el.get(h.get(3)))
                    || !(el.get(h.get(4)) instanceof OperatorInstruction op && op.opcode() == Opcode.LCMP)
                    || !(el.get(h.get(5)) instanceof BranchInstruction b && b.opcode() == Opcode.IFGE)) {
                throw new KernelCompileException(where.apply(header), shape);
            }
            bound = new Bound(Bound.Kind.ARRAY_LENGTH, parameter(arr.slot(), paramOfSlot, storedSlots, where, header, shape));
            exitBranch = b;
        } else {
            int cmp;
            if (el.get(h.get(1)) instanceof ConstantInstruction k && k.constantValue() instanceof Integer kv) {
                bound = new Bound(Bound.Kind.CONSTANT, kv);
                cmp = 2;
            } else if (el.get(h.get(1)) instanceof LoadInstruction p && p.typeKind() == java.lang.classfile.TypeKind.INT) {
                bound = new Bound(Bound.Kind.INT_PARAMETER, parameter(p.slot(), paramOfSlot, storedSlots, where, header, shape));
                cmp = 2;
            } else if (el.get(h.get(1)) instanceof LoadInstruction arr && isLength(el.get(h.get(2)))
                    && el.get(h.get(3)) instanceof ConvertInstruction l2i && l2i.opcode() == Opcode.L2I) {
                bound = new Bound(Bound.Kind.ARRAY_LENGTH, parameter(arr.slot(), paramOfSlot, storedSlots, where, header, shape));
                cmp = 4;
            } else {
                throw new KernelCompileException(where.apply(header), shape);
            }
            if (!(el.get(h.get(cmp)) instanceof BranchInstruction b && b.opcode() == Opcode.IF_ICMPGE)) {
                throw new KernelCompileException(where.apply(header), shape + " (the condition must be i < BOUND)");
            }
            exitBranch = b;
        }
        Label exit = exitBranch.target();
        int exitIndex = labelIndex.get(exit);
        int latchGoto = previousInstruction(el, exitIndex);
        int latch = previousInstruction(el, latchGoto);
        if (!(el.get(latchGoto) instanceof BranchInstruction g && g.opcode() == Opcode.GOTO
                && labelIndex.get(g.target()) == header)
                || !(el.get(latch) instanceof IncrementInstruction inc && inc.slot() == slot && inc.constant() > 0)) {
            throw new KernelCompileException(where.apply(header), shape + " (the step must be i++ or i += a positive constant)");
        }
        for (int i = header + 1; i < latch; i++) {
            CodeElement e = el.get(i);
            boolean leaves = e instanceof ReturnInstruction
                    || (e instanceof BranchInstruction b && e != exitBranch && labelIndex.get(b.target()) >= exitIndex);
            if (leaves) {
                throw new KernelCompileException(where.apply(i), "break or return inside a @Parallel loop: its iterations "
                        + "must be independent");
            }
            if (e instanceof StoreInstruction s && s.slot() == slot || e instanceof IncrementInstruction in && in.slot() == slot) {
                throw new KernelCompileException(where.apply(i), "the @Parallel variable is assigned inside its loop");
            }
        }
        return new Loop(slot, -1, init, header, latch, exit, startValue, inc.constant(), bound);
    }

    private static boolean isLength(CodeElement e) {
        return e instanceof InvokeInstruction inv && inv.name().equalsString("length") && inv.type().equalsString("()J")
                && (inv.owner().asInternalName().equals("ditvm/memory/FloatArray")
                || inv.owner().asInternalName().equals("ditvm/memory/IntArray"));
    }

    private static int parameter(int slot, IntFunction<Integer> paramOfSlot, java.util.Set<Integer> stored,
                                 IntFunction<String> where, int at, String shape) {
        int p = paramOfSlot.apply(slot);
        if (p < 0 || stored.contains(slot)) {
            throw new KernelCompileException(where.apply(at), shape + " (the bound is a local variable or an assigned parameter)");
        }
        return p;
    }

    /** The index of the instruction before element {@code i}, skipping labels, line numbers and other pseudo-instructions. */
    private static int previousInstruction(List<CodeElement> el, int i) {
        for (int j = i - 1; j >= 0; j--) {
            if (!(el.get(j) instanceof PseudoInstruction)) {
                return j;
            }
        }
        return -1;
    }
}
