package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slowfast.config.LoadedConfig;
import org.slowfast.config.OptimizerConfig;
import org.slowfast.model.Recognizer3D;

/** Two CPU replicas with half batches each take the same update as one replica with the whole batch. */
class DataParallelTest {
    static final Path TINY = Path.of("src/test/resources/model/tiny.yaml");
    static final Shape CLIP = new Shape(3, 8, 32, 32);

    static Recognizer3D frozenBnModel() {
        Recognizer3D m = Recognizer3D.build(LoadedConfig.load(TINY, List.of("model.cls_head.dropout_ratio=0")));
        m.batchNorms().forEach(b -> b.bn().setEvalMode(true));
        return m;
    }

    static List<float[]> train(int replicas, float[] imgs, long[] shape, int[] labels, int steps) {
        List<Device> devices = Collections.nCopies(replicas, Device.cpu());
        try (DataParallel dp = new DataParallel(devices, DataParallelTest::frozenBnModel, 3, new Shape(2).addAll(CLIP),
                new OptimizerConfig("SGD", 0.05, 0.9, 0.0, 1e-3, false, null))) {
            for (int s = 0; s < steps; s++) {
                DataParallel.StepResult r = dp.step(imgs, shape, labels, null, 2.0);
                assertTrue(Double.isFinite(r.loss()));
            }
            List<float[]> out = new ArrayList<>();
            for (DataParallel.Replica rep : dp.replicas()) {
                for (Parameter p : rep.model().namedParameters().values()) {
                    out.add(p.getArray().toFloatArray());
                }
            }
            return out;
        }
    }

    @Test
    void twoReplicasWithHalfBatchesEqualOneReplicaWithTheBatch() {
        long[] shape = new Shape(4).addAll(CLIP).getShape();
        float[] imgs = new float[Math.toIntExact(new Shape(shape).size())];
        Random r = new Random(5);
        for (int i = 0; i < imgs.length; i++) {
            imgs[i] = (float) r.nextGaussian();
        }
        int[] labels = {0, 3, 1, 4};
        List<float[]> single = train(1, imgs, shape, labels, 2);
        List<float[]> pair = train(2, imgs, shape, labels, 2);
        int n = single.size();
        assertEquals(2 * n, pair.size());
        for (int i = 0; i < n; i++) {
            assertArrayEquals(single.get(i), pair.get(i), 2e-5f, "replica 0 parameter " + i);
            assertArrayEquals(pair.get(i), pair.get(n + i), 0f, "replica 1 parameter " + i + " equals replica 0");
        }
    }
}
