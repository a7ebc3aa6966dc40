package org.slowfast.data;

import java.util.Iterator;

/**
 * The batches of one split: clips as row-major floats ({@code B×V×3×T×H×W}, V = 1 for training), labels and dataset
 * indices. Training sources shuffle with a generator seeded by (seed, epoch), so any epoch can be replayed.
 */
public interface BatchSource extends AutoCloseable {
    /** One batch; {@code indices} are the samples' positions in the annotation file. */
    record Batch(float[] imgs, long[] shape, int[] labels, int[] indices) {}

    /** Batches per epoch ({@code len(dataloader)}). */
    int length();

    /** Samples in the dataset ({@code len(dataset)}). */
    int size();

    /** The shape of one sample (V×3×T×H×W). */
    long[] sampleShape();

    /** The batches of 0-based {@code epoch}, in order. */
    Iterator<Batch> epoch(int epoch);

    @Override
    void close();
}
