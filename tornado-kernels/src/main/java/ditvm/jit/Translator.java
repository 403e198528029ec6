package ditvm.jit;

import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeModel;
import java.lang.classfile.Instruction;
import java.lang.classfile.Label;
import java.lang.classfile.MethodModel;
import java.lang.classfile.Opcode;
import java.lang.classfile.TypeKind;
import java.lang.classfile.instruction.ArrayLoadInstruction;
import java.lang.classfile.instruction.ArrayStoreInstruction;
import java.lang.classfile.instruction.BranchInstruction;
import java.lang.classfile.instruction.ConstantInstruction;
import java.lang.classfile.instruction.ConvertInstruction;
import java.lang.classfile.instruction.ExceptionCatch;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.IncrementInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.LineNumber;
import java.lang.classfile.instruction.LoadInstruction;
import java.lang.classfile.instruction.LocalVariable;
import java.lang.classfile.instruction.LookupSwitchInstruction;
import java.lang.classfile.instruction.MonitorInstruction;
import java.lang.classfile.instruction.NewPrimitiveArrayInstruction;
import java.lang.classfile.instruction.NopInstruction;
import java.lang.classfile.instruction.OperatorInstruction;
import java.lang.classfile.instruction.ReturnInstruction;
import java.lang.classfile.instruction.StackInstruction;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.classfile.instruction.SwitchCase;
import java.lang.classfile.instruction.TableSwitchInstruction;
import java.lang.classfile.instruction.ThrowInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.reflect.AccessFlag;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One Java method to one C function: the typed-blocks pass of the JIT. It walks the bytecode
 * once, keeping the operand stack as C expressions ({@link Value}); every branch target becomes
 * a label, every branch a goto, and what is left on the stack at a branch travels in stack
 * variables {@code s<depth>_<type>}. Loads from memory and calls go to temporaries at once, so
 * the expressions on the stack have no side effects and Java's evaluation order is kept.
 * Integer arithmetic goes through the prelude's wrapping macros, float arithmetic through its
 * uncontracted ones; every construct outside the kernel subset is refused with its line.
 */
final class Translator {
    private static final String FLOAT_ARRAY = "ditvm/memory/FloatArray";
    private static final String INT_ARRAY = "ditvm/memory/IntArray";
    private static final String CONTEXT = "ditvm/api/KernelContext";

    /** The C function made of one method. */
    record Function(String name, String text, JType returns) {
    }

    private final Program program;
    private final ClassBytes owner;
    private final MethodModel method;
    private final String cName;
    private final boolean entry;
    private final List<ArrayRef.Space> argSpaces; // helpers: the space of each array parameter, in order
    private final List<CodeElement> el;
    private final int[] lineAt;
    private final Map<Integer, ParallelLoops.Loop> loopByInit = new HashMap<>();
    private final Map<Integer, ParallelLoops.Loop> loopByLatch = new HashMap<>();
    private List<ParallelLoops.Loop> loops = List.of();

    private final List<Value> stack = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();
    private final Map<String, String> decls = new LinkedHashMap<>();
    private final List<String> params = new ArrayList<>();
    private final Map<Label, String> labelNames = new HashMap<>();
    private final Set<Label> targets = new HashSet<>();
    private final Map<Label, List<Value>> entryStacks = new HashMap<>();
    private final Map<Integer, ArrayRef> arrays = new HashMap<>();
    private final Set<Integer> contextSlots = new HashSet<>();
    private final Map<String, String> localNames = new HashMap<>();
    private final Map<String, String> debugNames = new HashMap<>();
    private int index;
    private int temps;
    private int privateArrays;
    private boolean terminated;
    private boolean usesContext;

    Translator(Program program, ClassBytes owner, MethodModel method, String cName, boolean entry,
               List<ArrayRef.Space> argSpaces) {
        this.program = program;
        this.owner = owner;
        this.method = method;
        this.cName = cName;
        this.entry = entry;
        this.argSpaces = argSpaces;
        CodeModel code = method.code().orElseThrow(() -> new KernelCompileException(where(0),
                "has no bytecode (abstract or native)"));
        this.el = code.elementList();
        this.lineAt = new int[el.size()];
        int line = 0;
        for (int i = 0; i < el.size(); i++) {
            if (el.get(i) instanceof LineNumber ln) {
                line = ln.line();
            }
            lineAt[i] = line;
        }
        // a method's first line is the line of its first instruction
        line = 0;
        for (int i = 0; i < el.size() && line == 0; i++) {
            if (lineAt[i] != 0) {
                line = lineAt[i];
            }
        }
        if (el.size() > 0 && lineAt[0] == 0) {
            for (int i = 0; i < el.size() && lineAt[i] == 0; i++) {
                lineAt[i] = line;
            }
        }
    }

    /** "pkg.Class.method (Class.java:line)" for the element at {@code i}. */
    String where(int i) {
        int line = lineAt == null || lineAt.length == 0 ? 0 : lineAt[Math.min(i, lineAt.length - 1)];
        return owner.type().getName() + "." + method.methodName().stringValue() + " (" + owner.sourceFile()
                + (line > 0 ? ":" + line : "") + ")";
    }

    private KernelCompileException refuse(String construct) {
        return new KernelCompileException(where(index), construct + " is outside the kernel subset");
    }

    private Map<Integer, Integer> fixedParams = Map.of(); // parameter index -> the constant it reads as

    void fixParameters(Map<Integer, Integer> fixed) {
        this.fixedParams = Map.copyOf(fixed);
    }

    List<ParallelLoops.Loop> loops() {
        return loops;
    }

    boolean usesContext() {
        return usesContext;
    }

    Function translate() {
        for (AccessFlag f : method.flags().flags()) {
            if (f == AccessFlag.SYNCHRONIZED) {
                throw new KernelCompileException(where(0), "a synchronized method is outside the kernel subset");
            }
        }
        CodeModel code = method.code().orElseThrow();
        ExceptionCatch firstCatch = null; // refused after the loop: a synchronized block has one too
        for (CodeElement e : el) {
            switch (e) {
                case ExceptionCatch c -> firstCatch = firstCatch == null ? c : firstCatch;
                // refused before the main pass reaches the object they need (new, getstatic) and names that instead
                case ThrowInstruction t -> throw new KernelCompileException(where(el.indexOf(e)),
                        "throwing an exception is outside the kernel subset");
                case MonitorInstruction m -> throw new KernelCompileException(where(el.indexOf(e)),
                        "a synchronized block is outside the kernel subset");
                case FieldInstruction f when (f.opcode() == Opcode.GETFIELD || f.opcode() == Opcode.PUTFIELD)
                        && !f.owner().asInternalName().equals(CONTEXT) -> throw new KernelCompileException(where(el.indexOf(e)),
                        (f.opcode() == Opcode.GETFIELD ? "reading" : "writing") + " the instance field "
                                + f.owner().asInternalName().replace('/', '.') + "." + f.name().stringValue()
                                + " is outside the kernel subset");
                case BranchInstruction b -> targets.add(b.target());
                case TableSwitchInstruction t -> {
                    targets.add(t.defaultTarget());
                    t.cases().forEach(c -> targets.add(c.target()));
                }
                case LookupSwitchInstruction t -> {
                    targets.add(t.defaultTarget());
                    t.cases().forEach(c -> targets.add(c.target()));
                }
                case LocalVariable lv -> debugNames.putIfAbsent(lv.slot() + ":" + typeOf(lv.typeSymbol()),
                        lv.name().stringValue().replaceAll("[^A-Za-z0-9_]", "_"));
                default -> {
                }
            }
        }
        if (firstCatch != null) {
            Label start = firstCatch.tryStart();
            int at = 0;
            while (!(el.get(at) instanceof LabelTarget t && t.label().equals(start))) {
                at++;
            }
            while (at < el.size() - 1 && !(el.get(at) instanceof Instruction)) {
                at++; // the line of the try block's first instruction
            }
            throw new KernelCompileException(where(at), "try/catch is outside the kernel subset");
        }
        JType returns = declareParameters();
        if (entry) {
            Set<Integer> stored = new HashSet<>();
            for (CodeElement e : el) {
                if (e instanceof StoreInstruction s) {
                    stored.add(s.slot());
                } else if (e instanceof IncrementInstruction inc) {
                    stored.add(inc.slot());
                }
            }
            loops = ParallelLoops.find(code, el, this::parameterIndex, this::where, stored);
            for (ParallelLoops.Loop l : loops) {
                loopByInit.put(l.initIndex(), l);
                loopByLatch.put(l.latchIndex(), l);
            }
            if (!loops.isEmpty() && !contextSlots.isEmpty()) {
                throw new KernelCompileException(where(0), "a kernel uses either @Parallel loops or a KernelContext, not both");
            }
        }
        for (index = 0; index < el.size(); index++) {
            CodeElement e = el.get(index);
            if (e instanceof LabelTarget t) {
                label(t.label());
            } else if (e instanceof Instruction ins) {
                if (!terminated) {
                    instruction(ins);
                }
            }
        }
        return new Function(cName, text(returns), returns);
    }

    // ---------------------------------------------------------------- parameters

    private final Map<Integer, Integer> paramIndexOfSlot = new HashMap<>();

    private int parameterIndex(int slot) {
        return paramIndexOfSlot.getOrDefault(slot, -1);
    }

    private JType declareParameters() {
        MethodTypeDesc type = method.methodTypeSymbol();
        int slot = 0;
        int arrayParam = 0;
        for (int p = 0; p < type.parameterCount(); p++) {
            ClassDesc d = type.parameterType(p);
            paramIndexOfSlot.put(slot, p);
            String desc = d.descriptorString();
            String dbg = debugNames.get(slot + ":" + typeOf(d));
            switch (desc) {
                case "Lditvm/memory/FloatArray;", "Lditvm/memory/IntArray;" -> {
                    JType elem = desc.contains("Float") ? JType.FLOAT : JType.INT;
                    String name = "a" + slot + suffix(dbg);
                    ArrayRef a = new ArrayRef(name, elem, ArrayRef.Space.GLOBAL, name + "_len");
                    arrays.put(slot, a);
                    params.add(a.pointerType() + " " + name);
                    params.add("jlong " + name + "_len");
                    arrayParam++;
                }
                case "[F", "[I" -> {
                    if (entry) {
                        throw new KernelCompileException(where(0), "a kernel parameter of type " + d.displayName()
                                + " (pass a FloatArray or IntArray)");
                    }
                    JType elem = desc.equals("[F") ? JType.FLOAT : JType.INT;
                    String name = "a" + slot + suffix(dbg);
                    ArrayRef a = new ArrayRef(name, elem, argSpaces.get(arrayParam++), name + "_len");
                    arrays.put(slot, a);
                    params.add(a.pointerType() + " " + name);
                    params.add("int " + name + "_len");
                }
                case "Lditvm/api/KernelContext;" -> {
                    contextSlots.add(slot);
                    usesContext = true;
                }
                default -> {
                    JType t = typeOf(d);
                    if (t == null) {
                        throw new KernelCompileException(where(0), "a parameter of type " + d.displayName()
                                + " is outside the kernel subset (FloatArray, IntArray, KernelContext, primitives"
                                + (entry ? "" : ", float[], int[], Float4/8/16") + ")");
                    }
                    if (entry && t.width() > 1) {
                        throw new KernelCompileException(where(0), "a kernel parameter of type " + d.displayName());
                    }
                    if (t.width() > 1) {
                        vectorSlots.put(slot, t);
                    }
                    params.add(t.c + " " + local(slot, t));
                }
            }
            slot += desc.equals("J") || desc.equals("D") ? 2 : 1;
        }
        ClassDesc r = type.returnType();
        if (r.descriptorString().equals("V")) {
            return null;
        }
        JType rt = typeOf(r);
        if (rt == null || entry) {
            throw new KernelCompileException(where(0), "a method returning " + r.displayName()
                    + (entry ? " (a kernel returns void)" : " (helpers return primitives or Float4/8/16)"));
        }
        return rt;
    }

    private static String suffix(String debugName) {
        return debugName == null ? "" : "_" + debugName;
    }

    /** The JIT type of a descriptor: primitives, vectors; null for anything else. */
    static JType typeOf(ClassDesc d) {
        return switch (d.descriptorString()) {
            case "I", "Z", "B", "S", "C" -> JType.INT;
            case "J" -> JType.LONG;
            case "F" -> JType.FLOAT;
            case "D" -> JType.DOUBLE;
            case "Lditvm/api/Float4;" -> JType.VEC4;
            case "Lditvm/api/Float8;" -> JType.VEC8;
            case "Lditvm/api/Float16;" -> JType.VEC16;
            default -> null;
        };
    }

    private String local(int slot, JType t) {
        String key = slot + ":" + t;
        return localNames.computeIfAbsent(key, k -> {
            String name = t.prefix() + slot + suffix(debugNames.get(key));
            return name;
        });
    }

    private void declareLocal(int slot, JType t) {
        String name = local(slot, t);
        if (!params.stream().anyMatch(p -> p.endsWith(" " + name))) {
            decls.putIfAbsent(name, t.c + " " + name + ";");
        }
    }

    // ---------------------------------------------------------------- blocks

    private String labelName(Label l) {
        return labelNames.computeIfAbsent(l, k -> "L" + labelNames.size());
    }

    private void label(Label l) {
        if (!targets.contains(l)) {
            return;
        }
        if (!terminated) {
            spill(l);
        }
        body.append(labelName(l)).append(": ;\n");
        stack.clear();
        List<Value> in = entryStacks.get(l);
        if (in != null) {
            stack.addAll(in);
        } else {
            entryStacks.put(l, List.of());
        }
        terminated = false;
    }

    private static final Pattern STACK_VAR = Pattern.compile("\\bs[0-9]+_");
    private static final Pattern ATOM = Pattern.compile("[A-Za-z0-9_.]+");

    /** Moves the stack into the stack variables that {@code target} expects. */
    private void spill(Label target) {
        for (int i = 0; i < stack.size(); i++) {
            Value v = stack.get(i);
            if (v.type() == JType.COMPARE) {
                v = compareValue(v.compare());
            }
            if (v.type().inC() && STACK_VAR.matcher(v.expr()).find() && !v.expr().equals("s" + i + "_" + v.type().prefix())) {
                v = copy(v);
            }
            stack.set(i, v);
        }
        List<Value> in = new ArrayList<>();
        for (int i = 0; i < stack.size(); i++) {
            Value v = stack.get(i);
            if (!v.type().inC()) {
                in.add(v);
                continue;
            }
            String name = "s" + i + "_" + v.type().prefix();
            decls.putIfAbsent(name, v.type().c + " " + name + ";");
            if (!v.expr().equals(name)) {
                stmt(name + " = " + v.expr() + ";");
            }
            in.add(Value.of(v.type(), name));
        }
        List<Value> known = entryStacks.get(target);
        if (known == null) {
            entryStacks.put(target, in);
        } else if (!sameShape(known, in)) {
            throw new KernelCompileException(where(index), "a value (array or stack entry) that differs between the "
                    + "paths reaching one point is outside the kernel subset");
        }
    }

    private static boolean sameShape(List<Value> a, List<Value> b) {
        if (a.size() != b.size()) {
            return false;
        }
        for (int i = 0; i < a.size(); i++) {
            if (a.get(i).type() != b.get(i).type() || !a.get(i).expr().equals(b.get(i).expr())) {
                return false;
            }
        }
        return true;
    }

    private void stmt(String s) {
        body.append("    ").append(s).append('\n');
    }

    private Value materialize(Value v) {
        return v.simple() ? v : copy(v);
    }

    /** {@code v} in a new temporary, even a plain name: what a later store to that name must not change. */
    private Value copy(Value v) {
        String t = "t" + temps++;
        decls.put(t, v.type().c + " " + t + ";");
        stmt(t + " = " + v.expr() + ";");
        return Value.of(v.type(), t);
    }

    /** Before a local changes: every stack entry that reads it keeps the old value in a temporary. */
    private void beforeStore(String localName) {
        Pattern p = Pattern.compile("\\b" + Pattern.quote(localName) + "\\b");
        for (int i = 0; i < stack.size(); i++) {
            Value v = stack.get(i);
            if (v.type() == JType.COMPARE) {
                Value c = compareValue(v.compare());
                if (p.matcher(c.expr()).find()) {
                    stack.set(i, materialize(c));
                }
            } else if (v.type().inC() && p.matcher(v.expr()).find()) {
                stack.set(i, copy(v));
            }
        }
    }

    private Value pop() {
        if (stack.isEmpty()) {
            throw new IllegalStateException(where(index) + ": operand stack underflow");
        }
        return stack.removeLast();
    }

    private Value pop(JType t) {
        Value v = pop();
        if (v.type() == JType.COMPARE && t == JType.INT) {
            return compareValue(v.compare());
        }
        if (v.type() != t) {
            throw new IllegalStateException(where(index) + ": expected " + t + " on the stack, found " + v.type());
        }
        return v;
    }

    private void push(Value v) {
        stack.add(v);
    }

    private void push(JType t, String expr) {
        stack.add(Value.of(t, expr));
    }

    // ---------------------------------------------------------------- instructions

    private void instruction(Instruction ins) {
        switch (ins) {
            case LoadInstruction ld -> load(ld);
            case StoreInstruction st -> store(st);
            case IncrementInstruction inc -> increment(inc);
            case ConstantInstruction c -> constant(c);
            case OperatorInstruction op -> operator(op);
            case ConvertInstruction cv -> convert(cv);
            case BranchInstruction br -> branch(br);
            case TableSwitchInstruction ts -> tableSwitch(pop(JType.INT), ts.defaultTarget(), ts.cases());
            case LookupSwitchInstruction ls -> tableSwitch(pop(JType.INT), ls.defaultTarget(), ls.cases());
            case ReturnInstruction r -> ret(r);
            case InvokeInstruction inv -> invoke(inv);
            case FieldInstruction f -> field(f);
            case NewPrimitiveArrayInstruction na -> newArray(na);
            case ArrayLoadInstruction al -> arrayLoad(al);
            case ArrayStoreInstruction as -> arrayStore(as);
            case StackInstruction s -> stackOp(s);
            case NopInstruction n -> {
            }
            default -> throw refuse(describe(ins));
        }
    }

    private static String describe(Instruction ins) {
        String op = ins.opcode().name().toLowerCase(java.util.Locale.ROOT);
        return switch (ins.opcode()) {
            case NEW -> "object allocation (new)";
            case ATHROW -> "throwing an exception";
            case MONITORENTER, MONITOREXIT -> "a synchronized block";
            case INVOKEDYNAMIC -> "a lambda, method reference or string concatenation (invokedynamic)";
            case ANEWARRAY, MULTIANEWARRAY -> "an array of objects or a multi-dimensional array";
            case CHECKCAST, INSTANCEOF -> "a type test or cast of an object (" + op + ")";
            default -> "the instruction " + op;
        };
    }

    private void load(LoadInstruction ld) {
        int slot = ld.slot();
        Integer param = paramIndexOfSlot.get(slot);
        if (param != null && fixedParams.containsKey(param)) {
            push(JType.INT, intLiteral(fixedParams.get(param)));
            return;
        }
        switch (ld.typeKind()) {
            case INT -> push(JType.INT, local(slot, JType.INT));
            case LONG -> push(JType.LONG, local(slot, JType.LONG));
            case FLOAT -> push(JType.FLOAT, local(slot, JType.FLOAT));
            case DOUBLE -> push(JType.DOUBLE, local(slot, JType.DOUBLE));
            case REFERENCE -> {
                if (arrays.containsKey(slot)) {
                    push(Value.array(arrays.get(slot)));
                } else if (contextSlots.contains(slot)) {
                    push(Value.CONTEXT);
                } else {
                    JType vec = vectorSlots.get(slot);
                    if (vec == null) {
                        throw refuse("reading an object local variable that holds no kernel value (null?)");
                    }
                    push(vec, local(slot, vec));
                }
            }
            default -> throw refuse("a local of type " + ld.typeKind());
        }
    }

    private final Map<Integer, JType> vectorSlots = new HashMap<>();
    private ParallelLoops.Loop leaving; // set at a @Parallel loop's latch, until its back edge

    private void store(StoreInstruction st) {
        int slot = st.slot();
        ParallelLoops.Loop loop = loopByInit.get(index);
        Value v = st.typeKind() == TypeKind.REFERENCE ? pop() : pop(jtype(st.typeKind()));
        if (st.typeKind() == TypeKind.REFERENCE) {
            switch (v.type()) {
                case ARRAY -> {
                    ArrayRef old = arrays.putIfAbsent(slot, v.array());
                    if (old != null && !old.equals(v.array())) {
                        throw refuse("a local variable that holds different arrays");
                    }
                }
                case CONTEXT -> contextSlots.add(slot);
                case VEC4, VEC8, VEC16 -> {
                    JType old = vectorSlots.putIfAbsent(slot, v.type());
                    if (old != null && old != v.type()) {
                        throw refuse("a local variable that holds vectors of different widths");
                    }
                    assign(slot, v);
                }
                default -> throw refuse("storing a " + v.type() + " in an object variable");
            }
            return;
        }
        if (loop != null) {
            // @Parallel init: i = START + global id * STEP; the header's test i < BOUND guards the rounded-up NDRange
            String id = "GLOBAL_ID(" + loop.dim() + ")";
            String offset = loop.step() == 1 ? id : "JI_MUL(" + id + ", " + loop.step() + ")";
            v = Value.of(JType.INT, loop.start() == 0 ? offset : "JI_ADD(" + v.expr() + ", " + offset + ")");
        }
        assign(slot, v);
    }

    private void assign(int slot, Value v) {
        Integer param = paramIndexOfSlot.get(slot);
        if (param != null && fixedParams.containsKey(param)) {
            throw refuse("assigning a parameter that the kernel's descriptor fixes as a constant");
        }
        String name = local(slot, v.type());
        declareLocal(slot, v.type());
        beforeStore(name);
        if (!v.expr().equals(name)) {
            stmt(name + " = " + v.expr() + ";");
        }
    }

    private void increment(IncrementInstruction inc) {
        String name = local(inc.slot(), JType.INT);
        declareLocal(inc.slot(), JType.INT);
        beforeStore(name);
        ParallelLoops.Loop loop = loopByLatch.get(index);
        if (loop != null) {
            leaving = loop; // one iteration per work-item: the back edge that follows goes to the loop's exit
        } else {
            stmt(name + " = JI_ADD(" + name + ", " + intLiteral(inc.constant()) + ");");
        }
    }

    private static JType jtype(TypeKind k) {
        return switch (k) {
            case INT, BOOLEAN, BYTE, SHORT, CHAR -> JType.INT;
            case LONG -> JType.LONG;
            case FLOAT -> JType.FLOAT;
            case DOUBLE -> JType.DOUBLE;
            default -> throw new IllegalArgumentException("no value type for " + k);
        };
    }

    private void constant(ConstantInstruction c) {
        Object v = c.constantValue();
        switch (v) {
            case Integer i -> push(JType.INT, intLiteral(i));
            case Long l -> push(JType.LONG, Literals.longLiteral(l));
            case Float f -> push(JType.FLOAT, Literals.floatLiteral(f));
            case Double d -> push(JType.DOUBLE, Literals.doubleLiteral(d));
            case null -> throw refuse("null");
            case String s -> throw refuse("a string");
            default -> throw refuse("a constant of type " + v.getClass().getSimpleName());
        }
    }

    private static String intLiteral(int i) {
        return Literals.intLiteral(i);
    }

    private void operator(OperatorInstruction op) {
        Opcode o = op.opcode();
        switch (o) {
            case ARRAYLENGTH -> {
                Value a = pop(JType.ARRAY);
                push(JType.INT, a.array().length());
            }
            case INEG -> push(JType.INT, "JI_NEG(" + pop(JType.INT).expr() + ")");
            case LNEG -> push(JType.LONG, "JL_NEG(" + pop(JType.LONG).expr() + ")");
            case FNEG -> push(JType.FLOAT, "(-" + paren(pop(JType.FLOAT).expr()) + ")");
            case DNEG -> push(JType.DOUBLE, "(-" + paren(pop(JType.DOUBLE).expr()) + ")");
            case LCMP, FCMPL, FCMPG, DCMPL, DCMPG -> {
                JType t = o == Opcode.LCMP ? JType.LONG : o == Opcode.FCMPL || o == Opcode.FCMPG ? JType.FLOAT : JType.DOUBLE;
                Value b = pop(t);
                Value a = pop(t);
                int nan = o == Opcode.FCMPL || o == Opcode.DCMPL ? -1 : o == Opcode.LCMP ? 0 : 1;
                push(new Value(JType.COMPARE, "", null, new Value.Compare(a, b, nan)));
            }
            default -> binary(o);
        }
    }

    private static String paren(String e) {
        return e.startsWith("(") || ATOM.matcher(e).matches() ? e : "(" + e + ")";
    }

    private void binary(Opcode o) {
        String name = o.name();
        JType t = switch (name.charAt(0)) {
            case 'I' -> JType.INT;
            case 'L' -> JType.LONG;
            case 'F' -> JType.FLOAT;
            case 'D' -> JType.DOUBLE;
            default -> throw refuse("the operator " + name.toLowerCase(java.util.Locale.ROOT));
        };
        String what = name.substring(1);
        boolean shift = what.equals("SHL") || what.equals("SHR") || what.equals("USHR");
        Value b = shift ? pop(JType.INT) : pop(t);
        Value a = pop(t);
        String x = a.expr(), y = b.expr();
        String e = switch (t) {
            case INT, LONG -> {
                String m = t == JType.INT ? "JI_" : "JL_";
                yield switch (what) {
                    case "ADD", "SUB", "MUL", "SHL", "SHR", "USHR" -> m + what + "(" + x + ", " + y + ")";
                    case "DIV" -> (t == JType.INT ? "j_idiv(" : "j_ldiv(") + x + ", " + y + ")";
                    case "REM" -> (t == JType.INT ? "j_irem(" : "j_lrem(") + x + ", " + y + ")";
                    case "AND" -> "(" + x + " & " + y + ")";
                    case "OR" -> "(" + x + " | " + y + ")";
                    case "XOR" -> "(" + x + " ^ " + y + ")";
                    default -> throw refuse("the operator " + name.toLowerCase(java.util.Locale.ROOT));
                };
            }
            default -> {
                String m = t == JType.FLOAT ? "JF_" : "JD_";
                yield switch (what) {
                    case "ADD", "SUB", "MUL", "DIV" -> m + what + "(" + x + ", " + y + ")";
                    case "REM" -> "fmod(" + x + ", " + y + ")";
                    default -> throw refuse("the operator " + name.toLowerCase(java.util.Locale.ROOT));
                };
            }
        };
        if (t == JType.DOUBLE) {
            program.usesDouble();
        }
        push(t, e);
    }

    private void convert(ConvertInstruction cv) {
        Value a = pop(jtype(cv.fromType()));
        String x = a.expr();
        String e = switch (cv.opcode()) {
            case I2L -> "((jlong) " + paren(x) + ")";
            case I2F, L2F, D2F -> "((float) " + paren(x) + ")";
            case I2D, L2D, F2D -> "((double) " + paren(x) + ")";
            case L2I -> "((int) " + paren(x) + ")";
            case F2I -> "j_f2i(" + x + ")";
            case F2L -> "j_f2l(" + x + ")";
            case D2I -> "j_d2i(" + x + ")";
            case D2L -> "j_d2l(" + x + ")";
            case I2B -> "((int) (signed char) " + paren(x) + ")";
            case I2C -> "((int) (unsigned short) " + paren(x) + ")";
            case I2S -> "((int) (short) " + paren(x) + ")";
            default -> throw refuse("the conversion " + cv.opcode());
        };
        if (cv.toType() == TypeKind.DOUBLE || cv.fromType() == TypeKind.DOUBLE) {
            program.usesDouble();
        }
        push(jtype(cv.toType()), e);
    }

    /** A comparison used as an int value (-1, 0, 1 with the NaN rule of its opcode). */
    private Value compareValue(Value.Compare c) {
        String f = switch (c.a().type()) {
            case LONG -> "j_lcmp";
            case FLOAT -> c.nan() < 0 ? "j_fcmpl" : "j_fcmpg";
            default -> c.nan() < 0 ? "j_dcmpl" : "j_dcmpg";
        };
        return Value.of(JType.INT, f + "(" + c.a().expr() + ", " + c.b().expr() + ")");
    }

    /**
     * The C condition of {@code if<op>} applied to a comparison: {@code fcmpl} gives -1 for NaN
     * and {@code fcmpg} +1, so e.g. fcmpg; ifge is "not (a < b)", true for NaN, as in Java.
     */
    private static String compareCondition(Value.Compare c, String op) {
        String a = c.a().expr(), b = c.b().expr();
        if (c.nan() == 0) {
            return a + " " + op + " " + b;
        }
        boolean nanTrue = switch (op) {
            case "==" -> false;
            case "!=" -> true;
            case "<", "<=" -> c.nan() < 0;
            default -> c.nan() > 0; // > and >=
        };
        if (!nanTrue || op.equals("!=")) {
            return a + " " + op + " " + b; // C's ordered comparison is false for NaN; != is true
        }
        String negated = switch (op) {
            case "<" -> ">=";
            case "<=" -> ">";
            case ">" -> "<=";
            default -> "<"; // >=
        };
        return "!(" + a + " " + negated + " " + b + ")";
    }

    private void branch(BranchInstruction br) {
        Opcode o = br.opcode();
        if (o == Opcode.GOTO || o == Opcode.GOTO_W) {
            Label target = leaving != null ? leaving.exit() : br.target();
            leaving = null;
            spill(target);
            stmt("goto " + labelName(target) + ";");
            terminated = true;
            return;
        }
        String cond = switch (o) {
            case IFEQ, IFNE, IFLT, IFGE, IFGT, IFLE -> {
                String op = relation(o);
                Value v = pop();
                if (v.type() == JType.COMPARE) {
                    yield compareCondition(v.compare(), op);
                }
                if (v.type() != JType.INT) {
                    throw refuse("a null test of an object");
                }
                yield v.expr() + " " + op + " 0";
            }
            case IF_ICMPEQ, IF_ICMPNE, IF_ICMPLT, IF_ICMPGE, IF_ICMPGT, IF_ICMPLE -> {
                Value b = pop(JType.INT);
                Value a = pop(JType.INT);
                yield a.expr() + " " + relation(o) + " " + b.expr();
            }
            default -> throw refuse("comparing object references or null (" + o.name().toLowerCase(java.util.Locale.ROOT) + ")");
        };
        spill(br.target());
        stmt("if (" + cond + ") goto " + labelName(br.target()) + ";");
    }

    private static String relation(Opcode o) {
        String n = o.name();
        return switch (n.substring(n.length() - 2)) {
            case "EQ" -> "==";
            case "NE" -> "!=";
            case "LT" -> "<";
            case "GE" -> ">=";
            case "GT" -> ">";
            default -> "<=";
        };
    }

    private void tableSwitch(Value key, Label dflt, List<SwitchCase> cases) {
        spill(dflt);
        StringBuilder sb = new StringBuilder("switch (" + key.expr() + ") {");
        for (SwitchCase c : cases) {
            spill(c.target());
            sb.append(" case ").append(intLiteral(c.caseValue())).append(": goto ").append(labelName(c.target())).append(';');
        }
        sb.append(" default: goto ").append(labelName(dflt)).append("; }");
        stmt(sb.toString());
        terminated = true;
    }

    private void ret(ReturnInstruction r) {
        if (r.typeKind() == TypeKind.VOID) {
            stmt("return;");
        } else {
            Value v = r.typeKind() == TypeKind.REFERENCE ? pop() : pop(jtype(r.typeKind()));
            if (!v.type().inC() || v.type() == JType.COMPARE) {
                throw refuse("returning an array or object");
            }
            stmt("return " + v.expr() + ";");
        }
        terminated = true;
    }

    // ---------------------------------------------------------------- fields, arrays

    private void field(FieldInstruction f) {
        String owner = f.owner().asInternalName();
        String name = f.name().stringValue();
        switch (f.opcode()) {
            case GETFIELD -> {
                if (!owner.equals(CONTEXT)) {
                    throw refuse("reading the instance field " + owner.replace('/', '.') + "." + name);
                }
                pop(JType.CONTEXT);
                push(JType.INT, contextField(name));
            }
            case GETSTATIC -> push(staticConstant(owner, name));
            case PUTSTATIC -> throw refuse("writing the static field " + owner.replace('/', '.') + "." + name);
            default -> throw refuse("writing the instance field " + owner.replace('/', '.') + "." + name);
        }
    }

    /** A KernelContext field as the target's built-in (the prelude's GLOBAL_ID, LOCAL_ID, ... macros). */
    private String contextField(String name) {
        String dim = String.valueOf(name.charAt(name.length() - 1));
        int d = switch (dim) {
            case "x", "X" -> 0;
            case "y", "Y" -> 1;
            case "z", "Z" -> 2;
            default -> throw refuse("KernelContext." + name);
        };
        String base = name.substring(0, name.length() - 1);
        String macro = switch (base) {
            case "globalId" -> "GLOBAL_ID";
            case "localId" -> "LOCAL_ID";
            case "groupId" -> "GROUP_ID";
            case "localGroupSize" -> "LOCAL_SIZE";
            case "globalGroupSize" -> "GLOBAL_SIZE";
            default -> throw refuse("KernelContext." + name);
        };
        return macro + "(" + d + ")";
    }

    /** A static final primitive field read from its class (javac inlines compile-time constants; this is the rest). */
    private Value staticConstant(String owner, String name) {
        try {
            Class<?> c = Class.forName(owner.replace('/', '.'), true, program.loader());
            Field f = c.getDeclaredField(name);
            if (!Modifier.isFinal(f.getModifiers()) || !f.getType().isPrimitive()) {
                throw refuse("reading the static field " + c.getName() + "." + name + " (only static final primitives)");
            }
            f.setAccessible(true);
            Object v = f.get(null);
            return switch (v) {
                case Integer i -> Value.of(JType.INT, intLiteral(i));
                case Short s -> Value.of(JType.INT, intLiteral(s));
                case Byte b -> Value.of(JType.INT, intLiteral(b));
                case Character ch -> Value.of(JType.INT, intLiteral(ch));
                case Boolean z -> Value.of(JType.INT, z ? "1" : "0");
                case Long l -> Value.of(JType.LONG, Literals.longLiteral(l));
                case Float fl -> Value.of(JType.FLOAT, Literals.floatLiteral(fl));
                case Double d -> Value.of(JType.DOUBLE, Literals.doubleLiteral(d));
                default -> throw refuse("the static field " + name);
            };
        } catch (ReflectiveOperationException e) {
            throw refuse("the static field " + owner.replace('/', '.') + "." + name + " (" + e + ")");
        }
    }

    private void newArray(NewPrimitiveArrayInstruction na) {
        Value size = pop(JType.INT);
        Integer n = size.intConstant();
        JType elem = switch (na.typeKind()) {
            case FLOAT -> JType.FLOAT;
            case INT -> JType.INT;
            default -> throw refuse("an array of " + na.typeKind().toString().toLowerCase(java.util.Locale.ROOT)
                    + " (float[] and int[] only)");
        };
        if (n == null || n < 1) {
            throw refuse("new " + elem.c + "[" + size.expr() + "] (the size must be a positive constant)");
        }
        String name = "p" + privateArrays++;
        decls.put(name, elem.c + " " + name + "[" + n + "];");
        stmt("J_ZERO(" + name + ", " + n + ");");
        push(Value.array(new ArrayRef(name, elem, ArrayRef.Space.PRIVATE, intLiteral(n))));
    }

    private void arrayLoad(ArrayLoadInstruction al) {
        if (al.typeKind() != TypeKind.INT && al.typeKind() != TypeKind.FLOAT) {
            throw refuse("an array of " + al.typeKind());
        }
        Value i = pop(JType.INT);
        Value a = pop(JType.ARRAY);
        push(materialize(Value.of(a.array().element(), a.expr() + "[" + i.expr() + "]")));
    }

    private void arrayStore(ArrayStoreInstruction as) {
        if (as.typeKind() != TypeKind.INT && as.typeKind() != TypeKind.FLOAT) {
            throw refuse("an array of " + as.typeKind());
        }
        Value v = pop(jtype(as.typeKind()));
        Value i = pop(JType.INT);
        Value a = pop(JType.ARRAY);
        stmt(a.expr() + "[" + i.expr() + "] = " + v.expr() + ";");
    }

    private void stackOp(StackInstruction s) {
        switch (s.opcode()) {
            case POP -> pop();
            case POP2 -> {
                if (!pop().wide()) {
                    pop();
                }
            }
            case DUP -> push(peek(0));
            case DUP_X1 -> {
                Value v1 = pop(), v2 = pop();
                push(v1);
                push(v2);
                push(v1);
            }
            case DUP_X2 -> {
                Value v1 = pop(), v2 = pop();
                if (v2.wide()) {
                    push(v1);
                    push(v2);
                    push(v1);
                } else {
                    Value v3 = pop();
                    push(v1);
                    push(v3);
                    push(v2);
                    push(v1);
                }
            }
            case DUP2 -> {
                if (peek(0).wide()) {
                    push(peek(0));
                } else {
                    Value v1 = peek(0), v2 = peek(1);
                    push(v2);
                    push(v1);
                }
            }
            case DUP2_X1 -> {
                if (peek(0).wide()) {
                    Value v1 = pop(), v2 = pop();
                    push(v1);
                    push(v2);
                    push(v1);
                } else {
                    Value v1 = pop(), v2 = pop(), v3 = pop();
                    push(v2);
                    push(v1);
                    push(v3);
                    push(v2);
                    push(v1);
                }
            }
            case SWAP -> {
                Value v1 = pop(), v2 = pop();
                push(v1);
                push(v2);
            }
            default -> throw refuse("the stack instruction " + s.opcode().name().toLowerCase(java.util.Locale.ROOT));
        }
    }

    private Value peek(int depth) {
        return stack.get(stack.size() - 1 - depth);
    }

    // ---------------------------------------------------------------- calls

    private void invoke(InvokeInstruction inv) {
        String owner = inv.owner().asInternalName();
        String name = inv.name().stringValue();
        String desc = inv.type().stringValue();
        if (owner.equals(FLOAT_ARRAY) || owner.equals(INT_ARRAY)) {
            arrayMethod(owner, name, desc);
            return;
        }
        if (owner.equals(CONTEXT)) {
            contextMethod(name, desc);
            return;
        }
        if (owner.matches("ditvm/api/Float(4|8|16)")) {
            vectorMethod(Integer.parseInt(owner.substring("ditvm/api/Float".length())), inv.opcode(), name, desc);
            return;
        }
        if (inv.opcode() != Opcode.INVOKESTATIC) {
            throw refuse((inv.opcode() == Opcode.INVOKESPECIAL ? "a constructor or private instance call "
                    : "a virtual or interface call ") + owner.replace('/', '.') + "." + name);
        }
        MethodTypeDesc type = inv.typeSymbol();
        List<Value> args = new ArrayList<>();
        for (int p = type.parameterCount() - 1; p >= 0; p--) {
            args.addFirst(pop());
        }
        String intrinsic = Intrinsics.function(owner, name, desc);
        JType ret = typeOf(type.returnType());
        if (intrinsic != null) {
            if (desc.contains("D")) {
                program.usesDouble();
            }
            push(ret, Intrinsics.call(intrinsic, args.stream().map(Value::expr).toList()));
            return;
        }
        if (Intrinsics.libraryClass(owner)) {
            throw refuse("the library call " + owner.replace('/', '.') + "." + name + desc);
        }
        List<ArrayRef.Space> spaces = new ArrayList<>();
        List<String> cArgs = new ArrayList<>();
        for (Value a : args) {
            switch (a.type()) {
                case ARRAY -> {
                    spaces.add(a.array().space());
                    cArgs.add(a.expr());
                    cArgs.add(a.array().length());
                }
                case CONTEXT -> {
                }
                case COMPARE -> cArgs.add(compareValue(a.compare()).expr());
                default -> cArgs.add(a.expr());
            }
        }
        Function callee = program.helper(owner, name, desc, spaces, where(index));
        String call = callee.name() + "(" + String.join(", ", cArgs) + ")";
        if (callee.returns() == null) {
            stmt(call + ";");
        } else {
            push(materialize(Value.of(callee.returns(), call)));
        }
    }

    private void arrayMethod(String owner, String name, String desc) {
        JType elem = owner.equals(FLOAT_ARRAY) ? JType.FLOAT : JType.INT;
        String e = elem == JType.FLOAT ? "F" : "I";
        if (name.equals("get") && desc.equals("(J)" + e)) {
            Value i = pop(JType.LONG);
            Value a = pop(JType.ARRAY);
            push(materialize(Value.of(elem, element(a.expr(), i.expr()))));
        } else if (name.equals("set") && desc.equals("(J" + e + ")V")) {
            Value v = pop(elem);
            Value i = pop(JType.LONG);
            Value a = pop(JType.ARRAY);
            stmt(element(a.expr(), i.expr()) + " = " + v.expr() + ";");
        } else if (name.equals("length") && desc.equals("()J")) {
            Value a = pop(JType.ARRAY);
            push(JType.LONG, a.array().length());
        } else {
            throw refuse("the method " + owner.substring(owner.lastIndexOf('/') + 1) + "." + name
                    + " (get, set and length only)");
        }
    }

    /** Element {@code index} of the global array {@code array}, in C: {@code array[index]}, or see {@link #rowAndColumn}. */
    static String element(String array, String index) {
        String[] rc = rowAndColumn(array, index);
        return rc == null ? array + "[" + index + "]" : rc[0] + "[" + rc[1] + "]";
    }

    /**
     * A long sum {@code JL_ADD(x, y)} as an index into the global array {@code array}: {row pointer
     * {@code (array + x)}, column {@code y}}, as a C programmer would write it; else null. The
     * wrapping (unsigned) sum otherwise hides from LLVM that the address is a loop-invariant pointer
     * plus the induction variable, and its SLP vectorizer packs the sums of several rows into a
     * vector, extracting each address per iteration: the 6 x 32 GEMM tile on AVX-512 ran at
     * 0.83-0.97x the hand-written C, with row pointers at 0.98-1.01x (results/java-vs-c-kernels.md).
     * The element is the same for every index inside the array; outside it the access is undefined
     * either way (devices do not check bounds). A row part outside the array with the element inside,
     * (a + (i - 3))[3], forms a pointer outside the buffer, which C leaves undefined too; LLVM cannot
     * know a buffer's extent, and JitConstructsTest's rowPointers covers the case.
     */
    static String[] rowAndColumn(String array, String index) {
        String prefix = "JL_ADD(";
        if (!index.startsWith(prefix) || !index.endsWith(")")) {
            return null;
        }
        int depth = 0;
        int comma = -1;
        for (int c = prefix.length(); c < index.length() - 1; c++) {
            char ch = index.charAt(c);
            if (ch == '(') {
                depth++;
            } else if (ch == ')' && --depth < 0) {
                return null; // the JL_ADD closes before the end: not one sum
            } else if (ch == ',' && depth == 0 && comma < 0) {
                comma = c;
            }
        }
        if (depth != 0 || comma < 0) {
            return null;
        }
        String x = index.substring(prefix.length(), comma).trim();
        String y = index.substring(comma + 1, index.length() - 1).trim();
        return new String[] {"(" + array + " + " + paren(x) + ")", y};
    }

    private void contextMethod(String name, String desc) {
        switch (name + desc) {
            case "localBarrier()V" -> {
                pop(JType.CONTEXT);
                stmt("BARRIER();");
                program.usesBarrier();
            }
            case "allocateFloatLocalArray(I)[F", "allocateIntLocalArray(I)[I" -> {
                Value size = pop(JType.INT);
                pop(JType.CONTEXT);
                Integer n = size.intConstant();
                if (!entry) {
                    throw refuse("allocating local memory outside the kernel method itself");
                }
                if (n == null || n < 1) {
                    throw refuse("a local array whose size is not a positive constant (" + size.expr() + ")");
                }
                JType elem = name.contains("Float") ? JType.FLOAT : JType.INT;
                String a = "lm" + decls.keySet().stream().filter(k -> k.startsWith("lm")).count();
                decls.put(a, "LOCAL_ARRAY(" + elem.c + ", " + a + ", " + n + ");");
                push(Value.array(new ArrayRef(a, elem, ArrayRef.Space.LOCAL, intLiteral(n))));
            }
            default -> throw refuse("KernelContext." + name);
        }
    }

    /** "array, offset" of a vector load or store; a global array's long sum offset as in {@link #rowAndColumn}. */
    private static String vectorAddress(Value array, Value offset) {
        String[] rc = offset.type() == JType.LONG ? rowAndColumn(array.expr(), offset.expr()) : null;
        return rc == null ? array.expr() + ", " + offset.expr() : rc[0] + ", " + rc[1];
    }

    private void vectorMethod(int width, Opcode op, String name, String desc) {
        JType v = JType.vector(width);
        String p = "jv" + width + "_";
        String self = "Lditvm/api/Float" + width + ";";
        switch (name + desc) {
            case String s when s.equals("load(Lditvm/memory/FloatArray;J)" + self) || s.equals("load([FI)" + self) -> {
                Value off = pop(desc.startsWith("([F") ? JType.INT : JType.LONG);
                Value a = pop(JType.ARRAY);
                push(materialize(Value.of(v, p + "load" + spaceSuffix(a) + "(" + vectorAddress(a, off) + ")")));
            }
            case String s when s.equals("broadcast(F)" + self) -> push(v, p + "splat(" + pop(JType.FLOAT).expr() + ")");
            case String s when s.equals("add(" + self + ")" + self) || s.equals("sub(" + self + ")" + self)
                    || s.equals("mul(" + self + ")" + self) || s.equals("div(" + self + ")" + self)
                    || s.equals("max(" + self + ")" + self) -> {
                Value b = pop(v);
                Value a = pop(v);
                push(v, p + name + "(" + a.expr() + ", " + b.expr() + ")");
            }
            case String s when s.equals("fma(" + self + self + ")" + self) -> {
                Value c = pop(v);
                Value b = pop(v);
                Value a = pop(v);
                push(v, p + "fma(" + a.expr() + ", " + b.expr() + ", " + c.expr() + ")");
            }
            case String s when s.equals("exp(" + self + ")" + self) -> push(v, p + "exp(" + pop(v).expr() + ")");
            case "get(I)F" -> {
                Value lane = pop(JType.INT);
                Value a = pop(v);
                push(JType.FLOAT, p + "get(" + a.expr() + ", " + lane.expr() + ")");
            }
            case "store(Lditvm/memory/FloatArray;J)V", "store([FI)V" -> {
                Value off = pop(desc.startsWith("([F") ? JType.INT : JType.LONG);
                Value a = pop(JType.ARRAY);
                Value x = pop(v);
                stmt(p + "store" + spaceSuffix(a) + "(" + x.expr() + ", " + vectorAddress(a, off) + ");");
            }
            default -> throw refuse("Float" + width + "." + name + desc);
        }
    }

    /**
     * The prelude's vector load / store per address space (OpenCL's vloadN has an overload per
     * space; C helpers need one each): "" for a FloatArray (global), "_l" for a local array,
     * "_p" for a private one.
     */
    private String spaceSuffix(Value a) {
        if (a.array().element() != JType.FLOAT) {
            throw refuse("a vector load or store on an int array");
        }
        return switch (a.array().space()) {
            case GLOBAL -> "";
            case LOCAL -> "_l";
            case PRIVATE -> "_p";
        };
    }

    // ---------------------------------------------------------------- output

    private String text(JType returns) {
        StringBuilder sb = new StringBuilder();
        sb.append("/* ").append(owner.type().getName()).append('.').append(method.methodName().stringValue())
                .append(method.methodType().stringValue()).append(" */\n");
        sb.append(entry ? "KERNEL void " : "INLINE " + (returns == null ? "void" : returns.c) + " ")
                .append(cName).append('(').append(params.isEmpty() ? "void" : String.join(", ", params)).append(") {\n");
        for (String d : decls.values()) {
            sb.append("    ").append(d).append('\n');
        }
        String code = body.toString();
        for (String label : labelNames.values()) {
            if (!code.contains("goto " + label + ";")) {
                code = code.replace(label + ": ;\n", ""); // a target only of a back edge the JIT replaced
            }
        }
        sb.append(code).append("}\n");
        return sb.toString();
    }
}
