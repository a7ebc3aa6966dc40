package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import org.slowfast.eval.Accuracy;

/** The head's training loss and the per-batch accuracies MMAction2 logs with it (fact sheet §2.4). */
public final class Losses {
    private static final int[] TOPK = {1, 5};

    private Losses() {}

    /** {@code F.cross_entropy(logits, labels)}: the batch mean of −log softmax(logits)[label]. */
    public static NDArray crossEntropy(NDArray logits, NDArray labels) {
        NDArray logProb = logits.logSoftmax(1);
        NDArray oneHot = labels.oneHot(Math.toIntExact(logits.getShape().get(1))).toType(logProb.getDataType(), false);
        return logProb.mul(oneHot).sum(new int[] {1}).neg().mean();
    }

    /** {@code top1_acc} and {@code top5_acc} of a batch's logits (N×K, row-major) as fractions. */
    public static double[] topKAccuracy(float[] logits, int[] labels, int numClasses) {
        double[][] scores = new double[labels.length][numClasses];
        for (int n = 0; n < labels.length; n++) {
            for (int c = 0; c < numClasses; c++) {
                scores[n][c] = logits[n * numClasses + c];
            }
        }
        return Accuracy.topKAccuracy(scores, labels, TOPK);
    }
}
