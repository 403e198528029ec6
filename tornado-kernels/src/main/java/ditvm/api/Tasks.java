package ditvm.api;

import java.io.Serializable;

/**
 * The method references a task names, {@code graph.task("id", MyKernels::method, a, b, ...)}:
 * one functional interface per arity. Serializable so that the runtime can find the method
 * behind the reference (its class, name and descriptor) and compile it.
 */
public final class Tasks {
    private Tasks() {
    }

    /** What every arity shares. */
    public interface TaskMethod extends Serializable {
    }

    @FunctionalInterface
    public interface T1<A> extends TaskMethod {
        void apply(A a);
    }

    @FunctionalInterface
    public interface T2<A, B> extends TaskMethod {
        void apply(A a, B b);
    }

    @FunctionalInterface
    public interface T3<A, B, C> extends TaskMethod {
        void apply(A a, B b, C c);
    }

    @FunctionalInterface
    public interface T4<A, B, C, D> extends TaskMethod {
        void apply(A a, B b, C c, D d);
    }

    @FunctionalInterface
    public interface T5<A, B, C, D, E> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e);
    }

    @FunctionalInterface
    public interface T6<A, B, C, D, E, F> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f);
    }

    @FunctionalInterface
    public interface T7<A, B, C, D, E, F, G> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g);
    }

    @FunctionalInterface
    public interface T8<A, B, C, D, E, F, G, H> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h);
    }

    @FunctionalInterface
    public interface T9<A, B, C, D, E, F, G, H, I> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i);
    }

    @FunctionalInterface
    public interface T10<A, B, C, D, E, F, G, H, I, J> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j);
    }

    @FunctionalInterface
    public interface T11<A, B, C, D, E, F, G, H, I, J, K> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k);
    }

    @FunctionalInterface
    public interface T12<A, B, C, D, E, F, G, H, I, J, K, L> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l);
    }

    @FunctionalInterface
    public interface T13<A, B, C, D, E, F, G, H, I, J, K, L, M> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m);
    }

    @FunctionalInterface
    public interface T14<A, B, C, D, E, F, G, H, I, J, K, L, M, N> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m, N n);
    }

    @FunctionalInterface
    public interface T15<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m, N n, O o);
    }

    @FunctionalInterface
    public interface T16<A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P> extends TaskMethod {
        void apply(A a, B b, C c, D d, E e, F f, G g, H h, I i, J j, K k, L l, M m, N n, O o, P p);
    }
}
