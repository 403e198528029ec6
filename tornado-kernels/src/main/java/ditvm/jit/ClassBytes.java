package ditvm.jit;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.lang.classfile.ClassFile;
import java.lang.classfile.ClassModel;
import java.lang.classfile.MethodModel;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** A class's bytes as its loader holds them, parsed once; the SHA-256 keys the JIT's caches. */
record ClassBytes(Class<?> type, byte[] bytes, ClassModel model, String sha256) {
    private static final Map<Class<?>, ClassBytes> CACHE = new ConcurrentHashMap<>();

    static ClassBytes of(Class<?> type) {
        return CACHE.computeIfAbsent(type, ClassBytes::read);
    }

    private static ClassBytes read(Class<?> type) {
        String resource = type.getName().replace('.', '/') + ".class";
        ClassLoader loader = type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader();
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalArgumentException("the class file of " + type.getName() + " is not on the class path, "
                        + "so its methods cannot be compiled as kernels");
            }
            byte[] bytes = in.readAllBytes();
            String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
            return new ClassBytes(type, bytes, ClassFile.of().parse(bytes), sha);
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + resource, e);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    MethodModel method(String name, String descriptor) {
        for (MethodModel m : model.methods()) {
            if (m.methodName().equalsString(name) && m.methodType().equalsString(descriptor)) {
                return m;
            }
        }
        throw new IllegalArgumentException(type.getName() + " has no method " + name + descriptor);
    }

    /** The parameter names of a method from its debug info (javac -g), or argN where it has none. */
    String[] parameterNames(MethodModel m) {
        java.lang.constant.MethodTypeDesc type = m.methodTypeSymbol();
        String[] names = new String[type.parameterCount()];
        int[] slots = new int[names.length];
        int slot = m.flags().has(java.lang.reflect.AccessFlag.STATIC) ? 0 : 1;
        for (int p = 0; p < names.length; p++) {
            names[p] = "arg" + p;
            slots[p] = slot;
            slot += type.parameterType(p).isPrimitive() && "JD".contains(type.parameterType(p).descriptorString()) ? 2 : 1;
        }
        m.code().ifPresent(code -> code.forEach(e -> {
            if (e instanceof java.lang.classfile.instruction.LocalVariable lv) {
                for (int p = 0; p < names.length; p++) {
                    if (slots[p] == lv.slot() && names[p].equals("arg" + p)) {
                        names[p] = lv.name().stringValue();
                    }
                }
            }
        }));
        return names;
    }

    String sourceFile() {
        return model.findAttribute(java.lang.classfile.Attributes.sourceFile())
                .map(s -> s.sourceFile().stringValue()).orElse(type.getSimpleName() + ".java");
    }
}
