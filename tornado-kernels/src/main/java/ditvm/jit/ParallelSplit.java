package ditvm.jit;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.ClassModel;
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
import java.util.List;

/**
 * The java device's copy of a @Parallel kernel, with its outermost annotated loop limited to
 * the calling thread's slice ({@link JavaRange}): at the loop's init
 * {@code i = START} becomes {@code end = JavaRange.end(START, STEP); i = JavaRange.begin(START, STEP)},
 * and the header gains {@code if (i >= end) break}. Everything else is the method's own
 * bytecode, in a hidden class defined beside the kernel's class (so its private helpers resolve).
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
        List<CodeElement> original = mm.code().orElseThrow().elementList();
        ClassLoader loader = method.getDeclaringClass().getClassLoader();
        ClassFile cf = ClassFile.of(ClassFile.ClassHierarchyResolverOption.of(
                ClassHierarchyResolver.defaultResolver().orElse(ClassHierarchyResolver.ofClassLoading(
                        loader != null ? loader : ClassLoader.getSystemClassLoader()))));
        CodeTransform split = new CodeTransform() {
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
        ClassModel model = cls.model();
        byte[] bytes = cf.transformClass(model, ClassTransform.dropping(e -> e instanceof NestHostAttribute
                        || e instanceof NestMembersAttribute)
                .andThen(ClassTransform.transformingMethodBodies(
                        m -> m.methodName().equalsString(method.getName()) && m.methodType().equalsString(desc), split)));
        try {
            MethodHandles.Lookup owner = MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup());
            MethodType type = MethodType.methodType(void.class, method.getParameterTypes());
            if (!owner.hasFullPrivilegeAccess()) {
                // the kernel's class is in another module (a class loader of its own): no hidden class there, so the
                // copy is an ordinary class of its package, renamed, its references to the kernel's class remapped
                ClassDesc copy = ClassDesc.of(method.getDeclaringClass().getName() + "$JavaSlice$" + method.getName()
                        + "$" + Integer.toHexString(desc.hashCode()));
                Class<?> c = owner.defineClass(cf.transformClass(cf.parse(bytes), copy,
                        ClassTransform.transformingMethodBodies(remap(model.thisClass().asSymbol(), copy))));
                return owner.findStatic(c, method.getName(), type);
            }
            MethodHandles.Lookup hidden = owner.defineHiddenClass(bytes, true);
            return hidden.findStatic(hidden.lookupClass(), method.getName(), type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defining the java device's copy of " + method, e);
        }
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
