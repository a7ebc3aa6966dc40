package org.slowfast.eval;

import java.util.Arrays;
import org.slowfast.SlowfastException;

/**
 * MMAction2 0.x's single-label accuracy metrics ({@code mmaction/core/evaluation/accuracy.py}).
 *
 * <p><b>Ties.</b> numpy's {@code argsort} leaves the order of equal scores implementation-defined. Here the rule is
 * fixed: among equal scores the <em>lower class index ranks higher</em>. That is the order of numpy's
 * {@code argmax} (first maximum), so the top-1 prediction of {@link #topKAccuracy} is always the prediction that
 * {@link #meanClassAccuracy} uses. (numpy 1.24 sorts rows of at most 16 classes stably, which after the reversal in
 * MMAction2 puts the <em>higher</em> index first; for wider rows its order is unspecified.)
 */
public final class Accuracy {
    private Accuracy() {}

    /**
     * {@code top_k_accuracy}: for each k, the fraction of samples whose label is among the k highest scores. A k at
     * or above the number of classes takes every class.
     */
    public static double[] topKAccuracy(double[][] scores, int[] labels, int[] topk) {
        checkInput(scores, labels);
        double[] accuracy = new double[topk.length];
        for (int i = 0; i < topk.length; i++) {
            if (topk[i] < 1) {
                throw new SlowfastException("top_k_accuracy: topk must be positive, got " + topk[i]);
            }
            int hits = 0;
            for (int n = 0; n < scores.length; n++) {
                if (rank(scores[n], labels[n]) < topk[i]) {
                    hits++;
                }
            }
            accuracy[i] = (double) hits / scores.length;
        }
        return accuracy;
    }

    /**
     * {@code mean_class_accuracy}: the mean per-class recall over the sorted union of predicted and true labels; a
     * class that is predicted but never true counts as 0.
     */
    public static double meanClassAccuracy(double[][] scores, int[] labels) {
        double[] perClass = ConfusionMatrix.of(scores, labels).perClassAccuracy();
        return Arrays.stream(perClass).sum() / perClass.length;
    }

    /**
     * {@code mean_average_precision}: the mean over classes of each class's average precision across the videos
     * ({@code labels[n]} are video n's classes); classes without a positive video give NaN and are left out, as
     * MMAction2's {@code mean_average_precision}. NaN when no class has a positive.
     */
    public static double meanAveragePrecision(double[][] scores, int[][] labels, int numClasses) {
        checkMultiLabel(scores, labels, numClasses);
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < numClasses; c++) {
            double[] column = new double[scores.length];
            boolean[] truth = new boolean[scores.length];
            for (int n = 0; n < scores.length; n++) {
                column[n] = scores[n][c];
                truth[n] = contains(labels[n], c);
            }
            double ap = averagePrecision(column, truth);
            if (!Double.isNaN(ap)) {
                sum += ap;
                counted++;
            }
        }
        return counted == 0 ? Double.NaN : sum / counted;
    }

    /**
     * {@code mmit_mean_average_precision} (Multi-Moments in Time): the average precision of each video's class
     * ranking against its labels, averaged over videos (NaN if a video has no label).
     */
    public static double mmitMeanAveragePrecision(double[][] scores, int[][] labels, int numClasses) {
        checkMultiLabel(scores, labels, numClasses);
        double sum = 0;
        for (int n = 0; n < scores.length; n++) {
            boolean[] truth = new boolean[numClasses];
            for (int c = 0; c < numClasses; c++) {
                truth[c] = contains(labels[n], c);
            }
            sum += averagePrecision(scores[n], truth);
        }
        return sum / scores.length;
    }

    /**
     * MMAction2's {@code binary_precision_recall_curve} summed to an average precision: at each distinct score
     * (descending) precision = positives so far / items so far and recall = positives so far / all positives;
     * AP = Σ (recall - previous recall) · precision up to full recall. NaN without positives.
     */
    static double averagePrecision(double[] score, boolean[] truth) {
        Integer[] order = new Integer[score.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(score[b], score[a]));
        int positives = 0;
        for (boolean t : truth) {
            positives += t ? 1 : 0;
        }
        if (positives == 0) {
            return Double.NaN;
        }
        double ap = 0;
        double previousRecall = 0;
        int tps = 0;
        for (int i = 0; i < order.length && previousRecall < 1; i++) {
            tps += truth[order[i]] ? 1 : 0;
            boolean lastOfThreshold = i == order.length - 1 || score[order[i + 1]] != score[order[i]];
            if (lastOfThreshold) {
                double recall = (double) tps / positives;
                ap += (recall - previousRecall) * ((double) tps / (i + 1));
                previousRecall = recall;
            }
        }
        return ap;
    }

    private static boolean contains(int[] labels, int c) {
        for (int l : labels) {
            if (l == c) {
                return true;
            }
        }
        return false;
    }

    private static void checkMultiLabel(double[][] scores, int[][] labels, int numClasses) {
        if (scores.length == 0) {
            throw new SlowfastException("cannot evaluate an empty result set (no videos)");
        }
        if (scores.length != labels.length) {
            throw new SlowfastException("cannot evaluate " + scores.length + " results against " + labels.length
                    + " labels");
        }
        if (scores[0].length != numClasses) {
            throw new SlowfastException("mean average precision: " + scores[0].length + " class scores per video but "
                    + "num_classes is " + numClasses);
        }
    }

    /** The predicted class: the index of the first maximum, as numpy's {@code argmax}. */
    public static int argmax(double[] row) {
        int best = 0;
        for (int c = 1; c < row.length; c++) {
            if (row[c] > row[best]) {
                best = c;
            }
        }
        return best;
    }

    /** The k best classes of one row, best first, ties by lower index (at most {@code row.length} entries). */
    public static int[] topK(double[] row, int k) {
        Integer[] order = new Integer[row.length];
        Arrays.setAll(order, c -> c);
        Arrays.sort(order, (a, b) -> Double.compare(row[b], row[a])); // stable: equal scores keep index order
        return Arrays.stream(order).limit(k).mapToInt(Integer::intValue).toArray();
    }

    /** The 0-based position of {@code label} in the row's ranking (classes ranked above it); row length if absent. */
    static int rank(double[] row, int label) {
        if (label < 0 || label >= row.length) {
            return row.length;
        }
        double s = row[label];
        int above = 0;
        for (int c = 0; c < row.length; c++) {
            if (row[c] > s || (row[c] == s && c < label)) {
                above++;
            }
        }
        return above;
    }

    static void checkInput(double[][] scores, int[] labels) {
        if (scores.length == 0) {
            throw new SlowfastException("cannot evaluate an empty result set (no videos)");
        }
        if (scores.length != labels.length) {
            throw new SlowfastException("cannot evaluate " + scores.length + " results against " + labels.length
                    + " labels");
        }
    }
}
