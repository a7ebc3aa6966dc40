package org.slowfast.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** MMAction2's DistributedSampler: padding by the first indices, rank r takes r, r+W, ...; no padding for eval. */
class DistributedSamplerTest {
    static final int[] ORDER = {7, 3, 9, 0, 5, 1, 8, 2, 6, 4}; // an epoch's permutation of 10 samples

    @Test
    void paddedShardsAsMmaction2() {
        // world 4: total 12, indices + indices[:2] = ..., 6, 4, 7, 3; rank r takes positions r::4
        assertArrayEquals(new int[] {7, 5, 6}, DistributedSampler.shard(ORDER, 0, 4, true));
        assertArrayEquals(new int[] {3, 1, 4}, DistributedSampler.shard(ORDER, 1, 4, true));
        assertArrayEquals(new int[] {9, 8, 7}, DistributedSampler.shard(ORDER, 2, 4, true));
        assertArrayEquals(new int[] {0, 2, 3}, DistributedSampler.shard(ORDER, 3, 4, true));
        // padding longer than the dataset wraps around: 2 samples on 5 ranks
        assertArrayEquals(new int[] {4}, DistributedSampler.shard(new int[] {3, 4}, 3, 5, true));
    }

    @Test
    void shardsAreDisjointAndCoverWithPadding() {
        for (int world = 1; world <= 7; world++) {
            List<Integer> all = new ArrayList<>();
            int per = -1;
            for (int r = 0; r < world; r++) {
                int[] s = DistributedSampler.shard(ORDER, r, world, true);
                per = per < 0 ? s.length : per;
                assertEquals(per, s.length, "every rank takes the same number of steps");
                assertEquals(s.length, DistributedSampler.shardSize(ORDER.length, r, world, true));
                Arrays.stream(s).forEach(all::add);
            }
            int total = (ORDER.length + world - 1) / world * world;
            assertEquals(total, all.size());
            // every sample once, plus the first (total - n) samples of the order once more
            int[] counts = new int[ORDER.length];
            all.forEach(i -> counts[i]++);
            for (int p = 0; p < ORDER.length; p++) {
                assertEquals(p < total - ORDER.length ? 2 : 1, counts[ORDER[p]], "world " + world);
            }
        }
    }

    @Test
    void evalShardsAreNotPaddedAndPartitionTheDataset() {
        int[] order = IntStream.range(0, 10).toArray();
        assertArrayEquals(new int[] {0, 4, 8}, DistributedSampler.shard(order, 0, 4, false));
        assertArrayEquals(new int[] {3, 7}, DistributedSampler.shard(order, 3, 4, false));
        assertEquals(2, DistributedSampler.shardSize(10, 3, 4, false));
    }

    @Test
    void oneProcessKeepsTheOrderAndWProcessesSeeTheBigBatch() {
        assertArrayEquals(ORDER, DistributedSampler.shard(ORDER, 0, 1, true));
        // step k of W ranks with batch b = step k of one process with batch W*b
        int world = 2;
        int b = 2;
        int[][] shards = {DistributedSampler.shard(ORDER, 0, world, true),
            DistributedSampler.shard(ORDER, 1, world, true)};
        for (int k = 0; k * b < shards[0].length; k++) {
            List<Integer> seen = new ArrayList<>();
            for (int[] s : shards) {
                for (int j = k * b; j < Math.min(s.length, (k + 1) * b); j++) {
                    seen.add(s[j]);
                }
            }
            List<Integer> big = new ArrayList<>();
            for (int p = k * world * b; p < Math.min(ORDER.length, (k + 1) * world * b); p++) {
                big.add(ORDER[p]);
            }
            seen.sort(null);
            big.sort(null);
            assertEquals(big, seen, "step " + k);
        }
    }
}
