package org.slowfast.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;

/**
 * XGBoost4J's collective behind {@link Collective}. XGBoost keeps one communicator per thread, so two threads of this
 * JVM can be the two ranks of a job.
 */
class RabitCollectiveTest {
    static LaunchEnv rank(int rank, int world, int port, int timeout) {
        return new LaunchEnv("pytorch", rank, world, rank, world, "127.0.0.1", port, timeout);
    }

    /** Runs {@code body} as every rank of a {@code world}-process job, each on its own thread; returns the results. */
    static <T> List<T> job(int world, Function<Collective, T> body) throws Exception {
        return job(java.util.stream.IntStream.range(0, world).toArray(), body);
    }

    /** {@link #job(int, Function)} with the given RANK of each process. */
    static <T> List<T> job(int[] ranks, Function<Collective, T> body) throws Exception {
        int port = LocalJob.freePort();
        ExecutorService pool = Executors.newFixedThreadPool(ranks.length);
        try {
            List<Future<T>> futures = new ArrayList<>();
            for (int r : ranks) {
                LaunchEnv env = rank(r, ranks.length, port, 30);
                futures.add(pool.submit(() -> {
                    Collective c = Collective.open(env);
                    T out = body.apply(c);
                    c.close();
                    return out;
                }));
            }
            List<T> out = new ArrayList<>();
            for (Future<T> f : futures) {
                out.add(f.get(60, TimeUnit.SECONDS));
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void sumsGathersAndBroadcastsWithLauncherRanks() throws Exception {
        List<Object[]> results = job(2, c -> {
            float[] x = {c.rank() + 1, 10 * (c.rank() + 1), 0.5f};
            c.allReduce(x);
            long[] longs = c.allGather(1L << 40 | c.rank() * 7L);
            long seed = c.broadcast(c.rank() == 0 ? 123_456_789_012L : -1, 0);
            double[] mean = c.mean(c.rank(), 2.0 * c.rank());
            c.barrier();
            return new Object[] {c.rank(), c.worldSize(), x, longs, seed, mean};
        });
        for (int r = 0; r < 2; r++) {
            Object[] o = results.get(r);
            assertEquals(r, o[0]);
            assertEquals(2, o[1]);
            assertArrayEquals(new float[] {3, 30, 1}, (float[]) o[2]);
            assertArrayEquals(new long[] {1L << 40, 1L << 40 | 7}, (long[]) o[3]);
            assertEquals(123_456_789_012L, o[4]);
            assertArrayEquals(new double[] {0.5, 1.0}, (double[]) o[5]);
        }
    }

    @Test
    void gathersShardResultsInAnnotationOrder() throws Exception {
        int n = 5;
        List<ResultGather.Results> results = job(2, c -> {
            float[][][] rows = new float[n][][];
            int[] labels = new int[n];
            for (int i = c.rank(); i < n; i += 2) { // this rank's shard
                rows[i] = new float[][] {{i, -i}, {10 + i, 0.25f}};
                labels[i] = 100 + i;
            }
            return ResultGather.gather(c, rows, labels);
        });
        for (ResultGather.Results g : results) {
            for (int i = 0; i < n; i++) {
                assertArrayEquals(new float[] {i, -i}, g.rows()[i][0]);
                assertArrayEquals(new float[] {10 + i, 0.25f}, g.rows()[i][1]);
                assertEquals(100 + i, g.labels()[i]);
            }
        }
        // a video scored by two ranks (padding duplicates not dropped) is an error
        List<String> errors = job(2, c -> {
            float[][][] rows = {{{1}}, {{2}}};
            try {
                ResultGather.gather(c, rows, new int[2]);
                return "";
            } catch (SlowfastException e) {
                return e.getMessage();
            }
        });
        assertEquals("gathering results: video 0 was scored by 2 ranks instead of one", errors.get(0));
    }

    @Test
    void twoProcessesWithOneRankFail() {
        Exception e = assertThrows(java.util.concurrent.ExecutionException.class,
                () -> job(new int[] {0, 1, 1}, c -> c.rank()));
        assertEquals("rank 0/3: two processes were started with rank 1 (each needs its own RANK / SLURM_PROCID)",
                e.getCause().getMessage());
    }

    @Test
    void unreachableMasterIsOneLineWithinTheTimeout() {
        int port = LocalJob.freePort();
        long start = System.nanoTime();
        SlowfastException e = assertThrows(SlowfastException.class, () -> Collective.open(rank(1, 2, port, 2)));
        assertEquals("rank 1/2: cannot reach the master at 127.0.0.1:" + port + " within 2 s (MASTER_ADDR/MASTER_PORT; "
                + "is rank 0 running?)", e.getMessage());
        assertTrue((System.nanoTime() - start) / 1e9 < 60);
    }
}
