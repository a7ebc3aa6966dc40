package org.slowfast.train;

import org.slowfast.data.BatchSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Random;

/**
 * An in-memory batch source of 1×3×8×32×32 clips of a bright square moving right, left, down or up (labels 0..3),
 * so that the label needs motion. Sample {@code i} is drawn from a generator seeded by (seed, i); training order is
 * shuffled per epoch from (shuffle seed, epoch).
 */
final class MovingSquares implements BatchSource {
    static final int T = 8;
    static final int S = 32;
    private final int size;
    private final int batchSize;
    private final long seed;
    private final Long shuffleSeed;
    private final int nanAtEpoch;
    private final int nanAtBatch;

    /** Clips drawn from {@code seed}; shuffled per epoch from {@code shuffleSeed} unless it is null. */
    MovingSquares(int size, int batchSize, long seed, Long shuffleSeed) {
        this(size, batchSize, seed, shuffleSeed, -1, -1);
    }

    /** A source whose batch {@code nanAtBatch} of epoch {@code nanAtEpoch} (both 0-based) holds a NaN pixel. */
    MovingSquares(int size, int batchSize, long seed, Long shuffleSeed, int nanAtEpoch, int nanAtBatch) {
        this.size = size;
        this.batchSize = batchSize;
        this.seed = seed;
        this.shuffleSeed = shuffleSeed;
        this.nanAtEpoch = nanAtEpoch;
        this.nanAtBatch = nanAtBatch;
    }

    static float[] clip(long seed, int index) {
        Random r = new Random(seed * 7919 + index);
        int label = index % 4;
        int dx = label == 0 ? 2 : label == 1 ? -2 : 0;
        int dy = label == 2 ? 2 : label == 3 ? -2 : 0;
        int x0 = dx > 0 ? r.nextInt(4) : dx < 0 ? S - 8 - r.nextInt(4) : r.nextInt(S - 8);
        int y0 = dy > 0 ? r.nextInt(4) : dy < 0 ? S - 8 - r.nextInt(4) : r.nextInt(S - 8);
        float[] v = new float[3 * T * S * S];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (r.nextGaussian() * 0.1);
        }
        for (int c = 0; c < 3; c++) {
            for (int t = 0; t < T; t++) {
                for (int y = y0 + dy * t; y < y0 + dy * t + 8; y++) {
                    for (int x = x0 + dx * t; x < x0 + dx * t + 8; x++) {
                        v[((c * T + t) * S + y) * S + x] += 1f;
                    }
                }
            }
        }
        return v;
    }

    @Override
    public int length() {
        return (size + batchSize - 1) / batchSize;
    }

    @Override
    public int size() {
        return size;
    }

    @Override
    public long[] sampleShape() {
        return new long[] {1, 3, T, S, S};
    }

    @Override
    public Iterator<Batch> epoch(int epoch) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            order.add(i);
        }
        if (shuffleSeed != null) {
            Collections.shuffle(order, new Random(shuffleSeed * 1_000_003L + epoch));
        }
        List<Batch> batches = new ArrayList<>();
        int sample = 3 * T * S * S;
        for (int b = 0; b * batchSize < size; b++) {
            int n = Math.min(batchSize, size - b * batchSize);
            float[] imgs = new float[n * sample];
            int[] labels = new int[n];
            int[] indices = new int[n];
            for (int k = 0; k < n; k++) {
                int idx = order.get(b * batchSize + k);
                System.arraycopy(clip(seed, idx), 0, imgs, k * sample, sample);
                labels[k] = idx % 4;
                indices[k] = idx;
            }
            if (epoch == nanAtEpoch && b == nanAtBatch) {
                Arrays.fill(imgs, 0, 10, Float.NaN);
            }
            batches.add(new Batch(imgs, new long[] {n, 1, 3, T, S, S}, labels, indices));
        }
        return batches.iterator();
    }

    @Override
    public void close() {}
}
