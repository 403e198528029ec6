#!/usr/bin/env python3
"""Writes ditvm.api.Float4 / Float8 / Float16 and FloatVector: every operation lane by lane, the
lanes in fields (not an array), so that C2 scalar-replaces vectors that do not escape and the java
device runs vector kernels near scalar speed. Run from anywhere; it rewrites the four files."""
import os
API = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tornado-kernels', 'src', 'main', 'java', 'ditvm', 'api')

def gen(w):
    C='Float%d'%w
    L=range(w)
    def lanes(fmt): # fmt uses {i}
        return ', '.join(fmt.format(i=i) for i in L)
    def wrap(expr_list, indent=16):
        # break a long argument list into lines of about 110 chars
        out=[]; line=''
        for e in expr_list:
            piece=e+', '
            if len(line)+len(piece) > 100 and line:
                out.append(line.rstrip()); line=''
            line+=piece
        out.append(line.rstrip().rstrip(','))
        return ('\n'+' '*indent).join(out)
    def ctor(fmt):
        return 'new %s(%s)'%(C, wrap([fmt.format(i=i) for i in L]))
    fields=', '.join('l%d'%i for i in L)
    s=f'''package ditvm.api;

import ditvm.memory.FloatArray;
import java.util.Objects;

/**
 * {w} float lanes, immutable (OpenCL {{@code float{w}}}); see {{@link FloatVector}}. The lanes are
 * fields, written out one by one, so that the JVM's compiler can keep a vector that does not
 * escape in registers (scalar replacement): the java device runs kernels through these.
 */
public final class {C} extends FloatVector {{
    public static final int WIDTH = {w};

    private final float {fields};

    private {C}({', '.join('float x%d'%i for i in L)}) {{
'''
    for i in L:
        s+=f'        l{i} = x{i};\n'
    s+=f'''    }}

    /** a[offset .. offset + {w}). */
    public static {C} load(FloatArray a, long offset) {{
        return {ctor('a.get(offset + {i})').replace('offset + 0)','offset)')};
    }}

    /** a[offset .. offset + {w}) of a private ({{@code new float[n]}}) or local array. */
    public static {C} load(float[] a, int offset) {{
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
        return {ctor('a[offset + {i}]').replace('offset + 0]','offset]')};
    }}

    /** Every lane x. */
    public static {C} broadcast(float x) {{
        return {ctor('x')};
    }}

    public {C} add({C} o) {{
        return {ctor('l{i} + o.l{i}')};
    }}

    public {C} sub({C} o) {{
        return {ctor('l{i} - o.l{i}')};
    }}

    public {C} mul({C} o) {{
        return {ctor('l{i} * o.l{i}')};
    }}

    public {C} div({C} o) {{
        return {ctor('l{i} / o.l{i}')};
    }}

    /** Lane-wise Math.max: NaN if either lane is NaN, max(-0.0, +0.0) = +0.0. */
    public {C} max({C} o) {{
        return {ctor('Math.max(l{i}, o.l{i})')};
    }}

    /** e^x per lane (KernelMath.exp's accuracy on a device). */
    public static {C} exp({C} x) {{
        return {ctor('(float) Math.exp(x.l{i})')};
    }}

    /** this * b + c, one rounding per lane. */
    public {C} fma({C} b, {C} c) {{
        return {ctor('Math.fma(l{i}, b.l{i}, c.l{i})')};
    }}

    /** Lane {{@code i}}, 0 <= i < {w}. */
    @Override
    public float get(int i) {{
        return switch (i) {{
'''
    for i in L:
        s+=f'            case {i} -> l{i};\n'
    s+=f'''            default -> throw new IndexOutOfBoundsException("lane " + i + " of {C}");
        }};
    }}

    /** Writes the lanes to a[offset .. offset + {w}). */
    @Override
    public void store(FloatArray a, long offset) {{
'''
    for i in L:
        s+=f'        a.set(offset{" + %d"%i if i else ""}, l{i});\n'
    s+=f'''    }}

    /** Writes the lanes to a[offset .. offset + {w}): a private ({{@code new float[n]}}) or local array. */
    @Override
    public void store(float[] a, int offset) {{
        Objects.checkFromIndexSize(offset, WIDTH, a.length);
'''
    for i in L:
        s+=f'        a[offset{" + %d"%i if i else ""}] = l{i};\n'
    s+='''    }
}
'''
    open(os.path.join(API, C+'.java'),'w').write(s)
for w in (4,8,16): gen(w)
open(os.path.join(API, 'FloatVector.java'),'w').write('''package ditvm.api;

import ditvm.memory.FloatArray;

/**
 * What {@link Float4}, {@link Float8} and {@link Float16} share: immutable lanes, every
 * operation lane by lane as Java computes it (load, broadcast, add, sub, mul, div, max, exp, fma,
 * get, store). The JIT maps each width onto OpenCL's {@code floatN} and onto a struct of N floats
 * in CUDA; on the JVM each width keeps its lanes in fields (written out by
 * {@code scripts/gen-float-vectors.py}).
 */
abstract sealed class FloatVector permits Float4, Float8, Float16 {
    FloatVector() {
    }

    /** Lane {@code i}, 0 <= i < width. */
    public abstract float get(int i);

    /** Writes the lanes to a[offset .. offset + width). */
    public abstract void store(FloatArray a, long offset);

    /** Writes the lanes to a[offset .. offset + width): a private ({@code new float[n]}) or local array. */
    public abstract void store(float[] a, int offset);

    @Override
    public final String toString() {
        float[] v = new float[getClass() == Float4.class ? 4 : getClass() == Float8.class ? 8 : 16];
        store(v, 0);
        return java.util.Arrays.toString(v);
    }
}
''')
