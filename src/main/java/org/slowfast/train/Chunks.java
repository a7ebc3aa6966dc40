package org.slowfast.train;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * Runs a loop over {@code [0, size)} as contiguous chunks, one per thread of a pool, and returns the chunks' results
 * in chunk order (so a reduction over them does not depend on the scheduling). The flat-buffer kernels of CPU
 * training (replica average, gradient norm, SGD step, broadcast) run this way on the replica threads.
 */
final class Chunks {
    /** The loop body over {@code [from, to)}; returns a partial result (or 0). */
    interface Body {
        double run(int from, int to);
    }

    /** In the calling thread, one chunk. */
    static final Chunks SERIAL = new Chunks(null, 1);

    private final ExecutorService pool;
    private final int parts;

    Chunks(ExecutorService pool, int parts) {
        this.pool = pool;
        this.parts = parts;
    }

    double[] run(int size, Body body) {
        if (parts == 1 || pool == null) {
            return new double[] {body.run(0, size)};
        }
        List<Future<Double>> futures = new ArrayList<>();
        for (int p = 0; p < parts; p++) {
            int from = (int) ((long) size * p / parts);
            int to = (int) ((long) size * (p + 1) / parts);
            futures.add(pool.submit(() -> body.run(from, to)));
        }
        double[] out = new double[parts];
        for (int p = 0; p < parts; p++) {
            out[p] = DataParallel.join(futures.get(p));
        }
        return out;
    }
}
