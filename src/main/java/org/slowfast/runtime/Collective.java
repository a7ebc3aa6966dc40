package org.slowfast.runtime;

/**
 * The processes of one job and their collective operations (torch.distributed's role in MMAction2). Every process
 * calls the same operations in the same order. {@link #rank()} is the launcher's rank: rank 0 writes logs,
 * checkpoints and results. A lost process makes the next operation fail with a {@link
 * org.slowfast.SlowfastException} that names the lost rank where it can be told. Implementations: {@link
 * SingleProcess} ({@code --launcher none}) and {@link RabitCollective} (XGBoost4J over TCP, CPU buffers); a GPU
 * implementation (NCCL) would slot in here (docs/distributed.md).
 */
public interface Collective extends AutoCloseable {
    int rank();

    int worldSize();

    /** Sums {@code buffer} element-wise over all processes, in place; every process gets the same sums. */
    void allReduce(float[] buffer);

    /** Overwrites {@code buffer} on every process with {@code root}'s. */
    default void broadcast(float[] buffer, int root) {
        if (worldSize() == 1) {
            return;
        }
        if (rank() != root) {
            java.util.Arrays.fill(buffer, 0f);
        }
        allReduce(buffer);
    }

    /** {@code root}'s value on every process. */
    default long broadcast(long value, int root) {
        return allGather(value)[root];
    }

    /** Every process's {@code value}, indexed by rank (exact: sent as four 16-bit parts). */
    default long[] allGather(long value) {
        float[] parts = new float[4];
        for (int i = 0; i < 4; i++) {
            parts[i] = (value >>> (16 * i)) & 0xFFFF;
        }
        float[][] all = allGather(parts);
        long[] out = new long[all.length];
        for (int r = 0; r < all.length; r++) {
            for (int i = 0; i < 4; i++) {
                out[r] |= ((long) all[r][i]) << (16 * i);
            }
        }
        return out;
    }

    /** Means of {@code values} over all processes (logged losses and accuracies, as MMAction2 all-reduces them). */
    default double[] mean(double... values) {
        if (worldSize() == 1) {
            return values.clone();
        }
        float[] buf = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            buf[i] = (float) values[i];
        }
        allReduce(buf);
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (double) buf[i] / worldSize();
        }
        return out;
    }

    /** Every process's {@code values} (same length everywhere), indexed by rank. */
    default float[][] allGather(float[] values) {
        float[] buf = new float[values.length * worldSize()];
        System.arraycopy(values, 0, buf, rank() * values.length, values.length);
        allReduce(buf);
        float[][] out = new float[worldSize()][];
        for (int r = 0; r < worldSize(); r++) {
            out[r] = java.util.Arrays.copyOfRange(buf, r * values.length, (r + 1) * values.length);
        }
        return out;
    }

    /** Waits until every process has reached this point. */
    default void barrier() {
        allReduce(new float[1]);
    }

    /** Leaves the job; no operation may follow. */
    @Override
    void close();

    /** The collective of {@code env}: {@link SingleProcess} for {@code --launcher none}, else XGBoost4J's. */
    static Collective open(LaunchEnv env) {
        return env.distributed() ? RabitCollective.open(env) : new SingleProcess();
    }
}
