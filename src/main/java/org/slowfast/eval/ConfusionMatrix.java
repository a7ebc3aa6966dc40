package org.slowfast.eval;

import java.util.Arrays;
import java.util.TreeSet;

/**
 * The confusion matrix of MMAction2's {@code confusion_matrix(pred, gt)}: rows are true classes, columns predicted
 * classes (first argmax), both over {@link #classes()}, the sorted union of the label values that occur as a
 * prediction or as ground truth. Classes that occur in neither are not in the matrix.
 */
public record ConfusionMatrix(int[] classes, long[][] counts) {

    public static ConfusionMatrix of(double[][] scores, int[] labels) {
        Accuracy.checkInput(scores, labels);
        int[] pred = new int[scores.length];
        TreeSet<Integer> union = new TreeSet<>();
        for (int n = 0; n < scores.length; n++) {
            pred[n] = Accuracy.argmax(scores[n]);
            union.add(pred[n]);
            union.add(labels[n]);
        }
        int[] classes = union.stream().mapToInt(Integer::intValue).toArray();
        long[][] counts = new long[classes.length][classes.length];
        for (int n = 0; n < scores.length; n++) {
            counts[Arrays.binarySearch(classes, labels[n])][Arrays.binarySearch(classes, pred[n])]++;
        }
        return new ConfusionMatrix(classes, counts);
    }

    /** Number of samples whose true class is {@code classes()[i]}. */
    public long support(int i) {
        return Arrays.stream(counts[i]).sum();
    }

    /** Per class of {@link #classes()}: hits / true samples, or 0 for a class that is never true. */
    public double[] perClassAccuracy() {
        double[] acc = new double[classes.length];
        for (int i = 0; i < classes.length; i++) {
            long support = support(i);
            acc[i] = support == 0 ? 0.0 : (double) counts[i][i] / support;
        }
        return acc;
    }
}
