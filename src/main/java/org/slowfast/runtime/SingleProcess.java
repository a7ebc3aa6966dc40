package org.slowfast.runtime;

/** The collective of a single process ({@code --launcher none}): rank 0 of 1, every operation a no-op. */
public final class SingleProcess implements Collective {
    @Override
    public int rank() {
        return 0;
    }

    @Override
    public int worldSize() {
        return 1;
    }

    @Override
    public void allReduce(float[] buffer) {
        // one process: the sum is the buffer itself
    }

    @Override
    public void close() {
        // nothing to leave
    }
}
