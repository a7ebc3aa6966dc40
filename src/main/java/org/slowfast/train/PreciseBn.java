package org.slowfast.train;

import org.slowfast.data.BatchSource;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Iterator;
import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.model.BatchNorm3d;
import org.slowfast.model.Recognizer3D;

/**
 * MMAction2's PreciseBNHook (fact sheet §1.3): with every BN that uses batch statistics at momentum 1, run
 * {@code num_iters} train batches forward without gradients and replace each running mean and variance by the
 * arithmetic mean of the per-batch statistics.
 */
public final class PreciseBn {
    private PreciseBn() {}

    public static void update(DataParallel.Replica replica, BatchSource source, int numIters, int epoch) {
        if (source.length() < numIters) {
            throw new SlowfastException("precise_bn.num_iters: " + numIters + " exceeds the " + source.length()
                    + " batches of the train loader");
        }
        List<BatchNorm3d> bns = replica.model().batchNorms().stream().map(Recognizer3D.NamedBatchNorm::bn)
                .filter(BatchNorm3d::usesBatchStatistics).toList();
        double[] momenta = bns.stream().mapToDouble(BatchNorm3d::momentum).toArray();
        float[][] means = new float[bns.size()][];
        float[][] vars = new float[bns.size()][];
        bns.forEach(b -> b.setMomentum(1.0));
        try {
            Iterator<BatchSource.Batch> batches = source.epoch(epoch);
            for (int i = 0; i < numIters; i++) {
                BatchSource.Batch b = batches.next();
                try (NDManager scope = replica.manager().newSubManager()) {
                    NDArray imgs = scope.create(b.imgs(), new Shape(b.shape()));
                    replica.model().forward(replica.store(), new NDList(imgs), true);
                }
                for (int k = 0; k < bns.size(); k++) {
                    means[k] = runningAverage(means[k], bns.get(k).runningMean().getArray().toFloatArray(), i);
                    vars[k] = runningAverage(vars[k], bns.get(k).runningVar().getArray().toFloatArray(), i);
                }
            }
            for (int k = 0; k < bns.size(); k++) {
                bns.get(k).setRunningStatistics(means[k], vars[k]);
            }
        } finally {
            for (int k = 0; k < bns.size(); k++) {
                bns.get(k).setMomentum(momenta[k]);
            }
        }
    }

    /** acc += (cur − acc) / (i + 1), in float32 as torch does. */
    static float[] runningAverage(float[] acc, float[] cur, int i) {
        if (acc == null) {
            return cur;
        }
        for (int c = 0; c < acc.length; c++) {
            acc[c] += (cur[c] - acc[c]) / (i + 1);
        }
        return acc;
    }
}
