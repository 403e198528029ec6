package ditvm.api;

import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * TornadoVM's kernel API: a task argument that gives a kernel its work-item's ids and sizes,
 * local (work-group) memory and the work-group barrier. The host passes {@code new
 * KernelContext()}; the work sizes come from the plan's {@code GridScheduler}. On a device the
 * fields compile to the built-ins ({@code get_global_id(0)}, {@code threadIdx.x}, ...); on the
 * {@code java} device every work-item gets its own context.
 */
public class KernelContext {
    public final int globalIdx, globalIdy, globalIdz;
    public final int localIdx, localIdy, localIdz;
    public final int groupIdx, groupIdy, groupIdz;
    public final int localGroupSizeX, localGroupSizeY, localGroupSizeZ;
    public final int globalGroupSizeX, globalGroupSizeY, globalGroupSizeZ;

    private final WorkGroup group;
    private int allocations; // how many local arrays this work-item has asked for so far

    /** The placeholder the host passes as the task argument. */
    public KernelContext() {
        this(new int[3], new int[3], new int[3], new WorkGroup(new int[] {1, 1, 1}, false));
    }

    private KernelContext(int[] local, int[] group, int[] numGroups, WorkGroup g) {
        int[] size = g.size;
        globalIdx = group[0] * size[0] + local[0];
        globalIdy = group[1] * size[1] + local[1];
        globalIdz = group[2] * size[2] + local[2];
        localIdx = local[0];
        localIdy = local[1];
        localIdz = local[2];
        groupIdx = group[0];
        groupIdy = group[1];
        groupIdz = group[2];
        localGroupSizeX = size[0];
        localGroupSizeY = size[1];
        localGroupSizeZ = size[2];
        globalGroupSizeX = numGroups[0] * size[0];
        globalGroupSizeY = numGroups[1] * size[1];
        globalGroupSizeZ = numGroups[2] * size[2];
        this.group = g;
    }

    /**
     * The context of one work-item on the {@code java} device: local id, group id and number
     * of groups per dimension (3 each), sharing {@code group}'s local memory and barrier.
     */
    public static KernelContext workItem(int[] localId, int[] groupId, int[] numGroups, WorkGroup group) {
        return new KernelContext(localId.clone(), groupId.clone(), numGroups.clone(), group);
    }

    /** Waits until every work-item of the work-group has reached this barrier (local memory fence). */
    public void localBarrier() {
        group.await();
    }

    /** A work-group-shared float array of {@code size} elements; {@code size} a compile-time constant. */
    public float[] allocateFloatLocalArray(int size) {
        return (float[]) group.local(allocations++, size, true);
    }

    /** A work-group-shared int array of {@code size} elements; {@code size} a compile-time constant. */
    public int[] allocateIntLocalArray(int size) {
        return (int[]) group.local(allocations++, size, false);
    }

    /**
     * What the work-items of one work-group share on the {@code java} device: its size, its
     * local arrays (the k-th allocation of every work-item is the same array) and its barrier.
     */
    public static final class WorkGroup {
        private static final long BARRIER_TIMEOUT_S = 60;
        private final int[] size;
        private final CyclicBarrier barrier;
        private final java.util.List<Object> arrays = new java.util.ArrayList<>();

        /** {@code barriers}: whether the kernel waits at barriers (its work-items then run as threads). */
        public WorkGroup(int[] size, boolean barriers) {
            this.size = size.clone();
            this.barrier = barriers ? new CyclicBarrier(size[0] * size[1] * size[2]) : null;
        }

        synchronized Object local(int index, int length, boolean floats) {
            if (index == arrays.size()) {
                arrays.add(floats ? new float[length] : new int[length]);
            }
            Object a = arrays.get(index);
            if ((floats ? !(a instanceof float[]) : !(a instanceof int[])) || java.lang.reflect.Array.getLength(a) != length) {
                throw new IllegalStateException("work-items of one work-group allocated different local arrays at call " + index);
            }
            return a;
        }

        void await() {
            if (barrier == null) {
                return; // one work-item at a time: nothing to wait for
            }
            try {
                barrier.await(BARRIER_TIMEOUT_S, TimeUnit.SECONDS);
            } catch (TimeoutException | BrokenBarrierException e) {
                throw new IllegalStateException("localBarrier(): not every work-item of the work-group reached it within "
                        + BARRIER_TIMEOUT_S + " s (a barrier under a condition that differs between work-items?)", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted at localBarrier()", e);
            }
        }
    }
}
