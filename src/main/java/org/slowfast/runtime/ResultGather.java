package org.slowfast.runtime;

import org.slowfast.SlowfastException;

/**
 * MMAction2's {@code collect_results_cpu}: every rank has scored its shard of a dataset; the score rows and labels
 * come together in annotation order on every rank (rank 0 evaluates and writes them). Carried by all-reduces of
 * zero-filled buffers, in chunks of at most {@link #CHUNK_FLOATS} floats; each video must come from exactly one rank.
 */
public final class ResultGather {
    /** The all-reduce size per chunk (64 MB). */
    static final int CHUNK_FLOATS = 16 << 20;

    /** Per video (annotation index): its score rows (one, or one per view) and its label. */
    public record Results(float[][][] rows, int[] labels) {}

    private ResultGather() {}

    /**
     * Merges every rank's {@code rows}/{@code labels} (length = dataset size; {@code rows[i]} null where another rank
     * scored video i). All videos have the same number of rows of the same width.
     */
    public static Results gather(Collective c, float[][][] rows, int[] labels) {
        if (c.worldSize() == 1) {
            return new Results(rows, labels);
        }
        int n = rows.length;
        float[] shape = new float[2];
        for (float[][] r : rows) {
            if (r != null) {
                shape[0] = r.length;
                shape[1] = r[0].length;
                break;
            }
        }
        int perVideo = 0;
        int width = 0;
        for (float[] s : c.allGather(shape)) {
            perVideo = Math.max(perVideo, (int) s[0]);
            width = Math.max(width, (int) s[1]);
        }
        int stride = 2 + perVideo * width; // [count, label, rows...]
        int chunk = Math.max(1, CHUNK_FLOATS / stride);
        float[][][] outRows = new float[n][][];
        int[] outLabels = new int[n];
        for (int from = 0; from < n; from += chunk) {
            int to = Math.min(n, from + chunk);
            float[] buf = new float[(to - from) * stride];
            for (int i = from; i < to; i++) {
                if (rows[i] != null) {
                    int at = (i - from) * stride;
                    buf[at] = 1;
                    buf[at + 1] = labels[i];
                    for (int v = 0; v < perVideo; v++) {
                        System.arraycopy(rows[i][v], 0, buf, at + 2 + v * width, width);
                    }
                }
            }
            c.allReduce(buf);
            for (int i = from; i < to; i++) {
                int at = (i - from) * stride;
                if (buf[at] != 1) {
                    throw new SlowfastException("gathering results: video " + i + " was scored by " + (int) buf[at]
                            + " ranks instead of one");
                }
                outLabels[i] = (int) buf[at + 1];
                outRows[i] = new float[perVideo][];
                for (int v = 0; v < perVideo; v++) {
                    outRows[i][v] = java.util.Arrays.copyOfRange(buf, at + 2 + v * width, at + 2 + (v + 1) * width);
                }
            }
        }
        return new Results(outRows, outLabels);
    }
}
