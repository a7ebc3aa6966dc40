package org.slowfast.train;

import org.slowfast.data.BatchSource;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.model.BatchNorm3d;
import org.slowfast.model.Recognizer3D;

/**
 * Precise BN at momentum 1: after one batch each running statistic is that batch's statistic, so after two batches
 * it must be the mean of the two single-batch results.
 */
class PreciseBnTest {
    record Fixed(List<Batch> batches) implements BatchSource {
        public int length() {
            return batches.size();
        }

        public int size() {
            return batches.stream().mapToInt(b -> b.labels().length).sum();
        }

        public long[] sampleShape() {
            return new long[] {1, 3, 8, 32, 32};
        }

        public Iterator<Batch> epoch(int epoch) {
            return batches.iterator();
        }

        public void close() {}
    }

    static List<float[]> stats(List<BatchSource.Batch> batches, int numIters) {
        try (DataParallel dp = new DataParallel(List.of(Device.cpu()), () -> Recognizer3D.build(
                LoadedConfig.load(TrainerTest.CONFIG, List.of())), 3, new Shape(1, 3, 8, 32, 32),
                LoadedConfig.load(TrainerTest.CONFIG, List.of()).config().optimizer())) {
            PreciseBn.update(dp.main(), new Fixed(batches), numIters, 0);
            List<float[]> out = new ArrayList<>();
            for (Recognizer3D.NamedBatchNorm b : dp.main().model().batchNorms()) {
                assertEquals(BatchNorm3d.DEFAULT_MOMENTUM, b.bn().momentum());
                out.add(b.bn().runningMean().getArray().toFloatArray());
                out.add(b.bn().runningVar().getArray().toFloatArray());
            }
            return out;
        }
    }

    @Test
    void averagesTheBatchStatistics() {
        List<BatchSource.Batch> batches = new ArrayList<>();
        new MovingSquares(8, 4, 1, null).epoch(0).forEachRemaining(batches::add);
        List<float[]> first = stats(batches.subList(0, 1), 1);
        List<float[]> second = stats(batches.subList(1, 2), 1);
        List<float[]> both = stats(batches, 2);
        // the stem BN's statistics moved away from the initial 0 / 1 and differ between the batches
        assertNotEquals(0f, first.get(0)[0]);
        assertNotEquals(1f, first.get(1)[0]);
        assertNotEquals(first.get(0)[0], second.get(0)[0]);
        for (int k = 0; k < both.size(); k++) {
            float[] mean = new float[both.get(k).length];
            for (int c = 0; c < mean.length; c++) {
                mean[c] = (first.get(k)[c] + second.get(k)[c]) / 2;
            }
            assertArrayEquals(mean, both.get(k), 1e-5f * (1 + Math.abs(mean[0])), "statistic " + k);
        }
        assertThrows(SlowfastException.class, () -> stats(batches, 3));
    }
}
