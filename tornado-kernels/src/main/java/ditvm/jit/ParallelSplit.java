package ditvm.jit;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassTransform;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
import java.lang.classfile.attribute.NestHostAttribute;
import java.lang.classfile.attribute.NestMembersAttribute;
import java.lang.classfile.instruction.FieldInstruction;
import java.lang.classfile.instruction.InvokeInstruction;
import java.lang.classfile.instruction.LabelTarget;
import java.lang.classfile.instruction.StoreInstruction;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;

/**
 * The java device's copy of a @Parallel kernel, with its outermost annotated loop limited to
 * the calling thread's slice ({@link JavaRange}): at the loop's init
 * {@code i = START} becomes {@code end = JavaRange.end(START, STEP); i = JavaRange.begin(START, STEP)},
 * and the header gains {@code if (i >= end) break}. Everything else is the method's own
 * bytecode, alone in a hidden class that is a nestmate of the kernel's class: its calls and
 * static fields still resolve to that class (private helpers included).
 */
final class ParallelSplit {
    private static final ClassDesc RANGE = ClassDesc.of(JavaRange.class.getName());
    private static final MethodTypeDesc II_I = MethodTypeDesc.ofDescriptor("(II)I");

    private ParallelSplit() {
    }

    static MethodHandle of(Method method, ParallelLoops.Loop outer) {
        ClassBytes cls = ClassBytes.of(method.getDeclaringClass());
        String desc = MethodType.methodType(void.class, method.getParameterTypes()).toMethodDescriptorString();
        MethodModel mm = cls.method(method.getName(), desc);
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(
                        loader != null ? loader : ClassLoader.getSystemClassLoader()))));
        MethodType type = MethodType.methodType(void.class, method.getParameterTypes());
        try {
            MethodHandles.Lookup owner = MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup());
            if (!owner.hasFullPrivilegeAccess()) {
                // the kernel's class is in another module (a class loader of its own): no hidden nestmate there, so the
                // copy is the whole class, renamed, its calls and field accesses to itself remapped (enough for classes of
                // static kernels and helpers), an ordinary class of its package
                ClassDesc original = cls.model().thisClass().asSymbol();
                ClassDesc copy = ClassDesc.of(method.getDeclaringClass().getName() + "$JavaSlice$" + method.getName()
                        + "$" + Integer.toHexString(desc.hashCode()));
                byte[] sliced = cf.transformClass(cls.model(), ClassTransform.dropping(e -> e instanceof NestHostAttribute
                        || e instanceof NestMembersAttribute).andThen(ClassTransform.transformingMethodBodies(
                        m -> m.methodName().equalsString(method.getName()) && m.methodType().equalsString(desc),
                        split(method, outer))));
                byte[] renamed = cf.transformClass(cf.parse(sliced), copy, ClassTransform.transformingMethodBodies(
                        remap(original, copy)));
                return owner.findStatic(owner.defineClass(renamed), method.getName(), type);
            }
            ClassDesc self = ClassDesc.of(method.getDeclaringClass().getName() + "$ParallelSlice");
            byte[] bytes = cf.build(self, c -> c.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SUPER)
                    .withMethod(method.getName(), mm.methodTypeSymbol(), ClassFile.ACC_PUBLIC | ClassFile.ACC_STATIC,
                            m -> m.transformCode(mm.code().orElseThrow(), split(method, outer))));
            MethodHandles.Lookup hidden = owner.defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE);
            return hidden.findStatic(hidden.lookupClass(), method.getName(), type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defining the java device's copy of " + method, e);
        }
    }

    /** The rewrite of the loop's init and header; counts elements, so one instance per method body. */
    private static CodeTransform split(Method method, ParallelLoops.Loop outer) {
        return new CodeTransform() {
            private int index;
            private int end = -1;

            @Override
            public void accept(CodeBuilder b, CodeElement e) {
                int at = index++;
                if (at == outer.initIndex()) {
                    if (!(e instanceof StoreInstruction st) || st.slot() != outer.slot()) {
                        throw new IllegalStateException("element " + at + " of " + method + " is not the loop's init: " + e);
                    }
                    end = b.allocateLocal(java.lang.classfile.TypeKind.INT);
                    b.dup().loadConstant(outer.step()).invokestatic(RANGE, "end", II_I).istore(end);
                    b.loadConstant(outer.step()).invokestatic(RANGE, "begin", II_I).istore(outer.slot());
                    return;
                }
                b.with(e);
                if (at == outer.headerIndex()) {
                    if (!(e instanceof LabelTarget) || end < 0) {
                        throw new IllegalStateException("element " + at + " of " + method + " is not the loop header: " + e);
                    }
                    b.iload(outer.slot()).iload(end).if_icmpge(outer.exit());
                }
            }
        };
    }

    /** Calls and field accesses of class {@code from} redirected to {@code to}. */
    private static CodeTransform remap(ClassDesc from, ClassDesc to) {
        return (b, e) -> {
            switch (e) {
                case InvokeInstruction i when i.owner().asSymbol().equals(from) ->
                        b.invoke(i.opcode(), to, i.name().stringValue(), i.typeSymbol(), i.isInterface());
                case FieldInstruction f when f.owner().asSymbol().equals(from) ->
                        b.fieldAccess(f.opcode(), to, f.name().stringValue(), f.typeSymbol());
                default -> b.with(e);
            }
        };
    }
}
