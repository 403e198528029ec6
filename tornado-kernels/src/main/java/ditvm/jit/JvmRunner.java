package ditvm.jit;

import ditvm.api.KernelContext;
import ditvm.kernel.Args;
import ditvm.kernel.Launch;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The java device's way to run a Java kernel: the method itself, on the JVM.
 * <ul>
 *   <li>@Parallel kernels: the outermost annotated loop's iterations split into slices over the
 *       pool, each slice running a copy of the method limited to it ({@link ParallelSplit});
 *       inner annotated loops run whole in each slice.</li>
 *   <li>KernelContext kernels: every work-group of the launch, each work-item with its own
 *       context; with barriers the work-items of a group run as virtual threads meeting at a
 *       {@link java.util.concurrent.CyclicBarrier}, without them one after another.</li>
 *   <li>Neither: one call.</li>
 * </ul>
 */
final class JvmRunner {
    private final JavaKernel kernel;
    private final MethodHandle whole;
    private final MethodHandle sliced; // null unless the kernel has @Parallel loops
    private final ParallelLoops.Loop outer;

    JvmRunner(JavaKernel kernel) {
        this.kernel = kernel;
        try {
            this.whole = spread(MethodHandles.privateLookupIn(kernel.method().getDeclaringClass(), MethodHandles.lookup())
                    .unreflect(kernel.method()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        ParallelLoops.Loop o = null;
        for (ParallelLoops.Loop l : kernel.loops()) {
            if (o == null || l.dim() > o.dim()) {
                o = l;
            }
        }
        this.outer = o;
        this.sliced = o == null ? null : spread(ParallelSplit.of(kernel.method(), o));
    }

    /** {@code mh} as (Object[])void, called with invokeExact: one call per work-item must be cheap. */
    private static MethodHandle spread(MethodHandle mh) {
        return mh.asSpreader(Object[].class, mh.type().parameterCount())
                .asType(java.lang.invoke.MethodType.methodType(void.class, Object[].class));
    }

    void run(Args args, Launch launch, ForkJoinPool pool) {
        Class<?>[] types = kernel.method().getParameterTypes();
        Object[] values = new Object[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = JavaKernel.convert(types[i], args.get(i));
        }
        if (kernel.usesContext()) {
            runGroups(values, types, launch, pool);
        } else if (sliced != null) {
            long n = JavaKernel.iterations(outer, args);
            if (n > 0) {
                long slices = Math.min(n, 4L * pool.getParallelism());
                List<RecursiveAction> work = new ArrayList<>();
                for (long s = 0; s < slices; s++) {
                    long lo = n * s / slices, hi = n * (s + 1) / slices;
                    work.add(action(() -> ScopedValue.where(JavaRange.RANGE, new long[] {lo, hi})
                            .run(() -> call(sliced, values))));
                }
                pool.invoke(action(() -> RecursiveAction.invokeAll(work)));
            }
        } else {
            call(whole, values);
        }
    }

    private void runGroups(Object[] values, Class<?>[] types, Launch launch, ForkJoinPool pool) {
        int[] size = {1, 1, 1};
        int[] groups = {1, 1, 1};
        for (int d = 0; d < launch.dimensions(); d++) {
            size[d] = launch.local() == null ? 1 : Math.toIntExact(launch.local()[d]);
            groups[d] = Math.toIntExact(launch.global()[d] / size[d]);
        }
        List<RecursiveAction> work = new ArrayList<>();
        for (int gz = 0; gz < groups[2]; gz++) {
            for (int gy = 0; gy < groups[1]; gy++) {
                for (int gx = 0; gx < groups[0]; gx++) {
                    int[] group = {gx, gy, gz};
                    work.add(action(() -> runGroup(values, types, group, groups, size)));
                }
            }
        }
        pool.invoke(action(() -> RecursiveAction.invokeAll(work)));
    }

    private void runGroup(Object[] values, Class<?>[] types, int[] group, int[] groups, int[] size) {
        KernelContext.WorkGroup wg = new KernelContext.WorkGroup(size, kernel.usesBarrier());
        List<Runnable> items = new ArrayList<>();
        for (int z = 0; z < size[2]; z++) {
            for (int y = 0; y < size[1]; y++) {
                for (int x = 0; x < size[0]; x++) {
                    KernelContext ctx = KernelContext.workItem(new int[] {x, y, z}, group, groups, wg);
                    Object[] v = values.clone();
                    for (int i = 0; i < types.length; i++) {
                        if (types[i] == KernelContext.class) {
                            v[i] = ctx;
                        }
                    }
                    items.add(() -> call(whole, v));
                }
            }
        }
        if (!kernel.usesBarrier()) {
            items.forEach(Runnable::run);
            return;
        }
        List<Thread> threads = new ArrayList<>();
        Throwable[] failure = new Throwable[1];
        for (Runnable r : items) {
            threads.add(Thread.ofVirtual().unstarted(() -> {
                try {
                    r.run();
                } catch (RuntimeException | Error e) {
                    synchronized (failure) {
                        if (failure[0] == null) {
                            failure[0] = e;
                        }
                    }
                }
            }));
        }
        threads.forEach(Thread::start);
        for (Thread t : threads) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while running " + kernel.name(), e);
            }
        }
        if (failure[0] instanceof RuntimeException re) {
            throw re;
        } else if (failure[0] instanceof Error err) {
            throw err;
        }
    }

    private static RecursiveAction action(Runnable r) {
        return new RecursiveAction() {
            @Override
            protected void compute() {
                r.run();
            }
        };
    }

    private static void call(MethodHandle mh, Object[] values) {
        try {
            mh.invokeExact(values);
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
