package org.slowfast.eval;

import java.util.List;
import org.slowfast.SlowfastException;

/**
 * MMAction2's score fusion ({@code get_weighted_score} of {@code mmaction/core/evaluation/accuracy.py}, used by
 * {@code tools/analysis/report_accuracy.py}): the per-video sum of each result set's scores times its coefficient,
 * optionally after a softmax over each video's scores (scipy's {@code softmax} of a 1-D array).
 */
public final class ScoreFusion {
    private ScoreFusion() {}

    /**
     * {@code Σ_i coefficients[i] · scores[i]}; all sets must have as many videos and classes as the first.
     * {@code names} label the sets in errors.
     */
    public static double[][] weighted(List<double[][]> scores, double[] coefficients, List<String> names,
            boolean applySoftmax) {
        if (scores.size() != coefficients.length) {
            throw new SlowfastException(scores.size() + " score files but " + coefficients.length
                    + " coefficients (give one coefficient per file)");
        }
        double[][] first = scores.get(0);
        double[][] fused = new double[first.length][first.length == 0 ? 0 : first[0].length];
        for (int i = 0; i < scores.size(); i++) {
            double[][] s = scores.get(i);
            if (s.length != first.length || (s.length > 0 && s[0].length != first[0].length)) {
                throw new SlowfastException(names.get(i) + ": " + s.length + " videos x " + (s.length == 0 ? 0
                        : s[0].length) + " classes, but " + names.get(0) + " has " + first.length + " x "
                        + (first.length == 0 ? 0 : first[0].length));
            }
            for (int n = 0; n < s.length; n++) {
                double[] row = applySoftmax ? softmax(s[n]) : s[n];
                for (int c = 0; c < row.length; c++) {
                    fused[n][c] += coefficients[i] * row[c];
                }
            }
        }
        return fused;
    }

    /** The softmax of one score vector, shifted by its maximum for stability. */
    public static double[] softmax(double[] x) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : x) {
            max = Math.max(max, v);
        }
        double[] out = new double[x.length];
        double sum = 0;
        for (int c = 0; c < x.length; c++) {
            out[c] = Math.exp(x[c] - max);
            sum += out[c];
        }
        for (int c = 0; c < x.length; c++) {
            out[c] /= sum;
        }
        return out;
    }
}
