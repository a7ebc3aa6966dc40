package org.slowfast.eval;

/** A video's rows, one per view (features or logits): concatenated, or averaged into one. */
public final class Views {
    private Views() {}

    /** The rows one after the other, in view order. */
    public static float[] concat(float[][] rows) {
        float[] flat = new float[rows.length * rows[0].length];
        for (int r = 0; r < rows.length; r++) {
            System.arraycopy(rows[r], 0, flat, r * rows[r].length, rows[r].length);
        }
        return flat;
    }

    /** The mean over the views, summed in double precision. */
    public static float[] mean(float[][] rows) {
        float[] mean = new float[rows[0].length];
        for (int c = 0; c < mean.length; c++) {
            double sum = 0;
            for (float[] row : rows) {
                sum += row[c];
            }
            mean[c] = (float) (sum / rows.length);
        }
        return mean;
    }
}
