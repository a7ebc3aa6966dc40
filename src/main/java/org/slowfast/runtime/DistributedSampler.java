package org.slowfast.runtime;

/**
 * MMAction2's {@code DistributedSampler}: every rank takes the same epoch order (the loader's permutation, seeded from
 * (seed, epoch)), padded to a multiple of the world size by repeating its first indices, and rank r keeps positions
 * r, r+W, r+2W, ... So at every step W processes with b videos each see exactly the videos of one process with W·b,
 * and with one process the order is the single-process order. Evaluation shards are not padded: the padding
 * duplicates would only be dropped again when the scores are gathered ({@code collect_results_cpu}).
 */
public final class DistributedSampler {
    private DistributedSampler() {}

    /** Rank {@code rank}'s share of {@code order}; with {@code pad}, every rank gets ceil(n / world) entries. */
    public static int[] shard(int[] order, int rank, int world, boolean pad) {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " of " + world);
        }
        int n = order.length;
        int total = pad ? (n + world - 1) / world * world : n;
        int count = (total - rank + world - 1) / world;
        int[] out = new int[count];
        for (int k = 0; k < count; k++) {
            out[k] = order[(rank + k * world) % n];
        }
        return out;
    }

    /** The length of rank {@code rank}'s shard of {@code n} entries. */
    public static int shardSize(int n, int rank, int world, boolean pad) {
        int total = pad ? (n + world - 1) / world * world : n;
        return (total - rank + world - 1) / world;
    }
}
