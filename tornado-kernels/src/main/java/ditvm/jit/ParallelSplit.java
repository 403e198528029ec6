package ditvm.jit;

import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassHierarchyResolver;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.CodeElement;
import java.lang.classfile.CodeTransform;
import java.lang.classfile.MethodModel;
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
        ClassDesc self = ClassDesc.of(method.getDeclaringClass().getName() + "$ParallelSlice");
        byte[] bytes = cf.build(self, c -> c.withFlags(java.lang.classfile.ClassFile.ACC_FINAL | java.lang.classfile.ClassFile.ACC_SUPER)
                .withMethod(method.getName(), mm.methodTypeSymbol(), java.lang.classfile.ClassFile.ACC_PUBLIC
                        | java.lang.classfile.ClassFile.ACC_STATIC, m -> m.transformCode(mm.code().orElseThrow(), split)));
        try {
            MethodHandles.Lookup owner = MethodHandles.privateLookupIn(method.getDeclaringClass(), MethodHandles.lookup());
            MethodHandles.Lookup hidden = owner.defineHiddenClass(bytes, true, MethodHandles.Lookup.ClassOption.NESTMATE);
            return hidden.findStatic(hidden.lookupClass(), method.getName(), MethodType.methodType(void.class,
                    method.getParameterTypes()));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("defining the java device's copy of " + method, e);
        }
    }
}
