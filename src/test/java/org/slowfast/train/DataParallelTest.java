package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slowfast.config.LoadedConfig;
import org.slowfast.config.OptimizerConfig;
import org.slowfast.model.Recognizer3D;

/**
 * Concurrent CPU replicas: two with half batches take the same update as one with the whole batch; with dropout and
 * batch-statistics BN a run repeats exactly; and the guard against libtorch's multi-thread Conv3d backward bug
 * (djl-notes §4.3): multi-core training gradients equal one-thread gradients, on the tiny model and on R50.
 */
class DataParallelTest {
    static final Path TINY = Path.of("src/test/resources/model/tiny.yaml");
    static final Shape CLIP = new Shape(3, 8, 32, 32);
    static final Path R50 = Path.of("configs/recognition/slowfast/slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml");

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

    @Test
    void withDropoutTwoRunsAreIdentical() {
        long[] shape = new Shape(4).addAll(CLIP).getShape();
        float[] imgs = randomClips(shape, 6);
        int[] labels = {1, 0, 2, 4};
        OptimizerConfig sgd = new OptimizerConfig("SGD", 0.05, 0.9, 0.0, 1e-4, false, null);
        List<Double> first = new ArrayList<>();
        List<Double> second = new ArrayList<>();
        float[] a = trainWithDropout(imgs, shape, labels, sgd, first);
        float[] b = trainWithDropout(imgs, shape, labels, sgd, second);
        assertEquals(first, second);
        assertArrayEquals(a, b, 0f);
    }

    static float[] trainWithDropout(float[] imgs, long[] shape, int[] labels, OptimizerConfig sgd, List<Double> losses) {
        Engine.getInstance().setRandomSeed(11);
        List<Device> devices = Collections.nCopies(2, Device.cpu());
        try (DataParallel dp = new DataParallel(devices, () -> Recognizer3D.build(LoadedConfig.load(TINY,
                List.of("model.cls_head.dropout_ratio=0.5"))), 3, new Shape(2).addAll(CLIP), sgd)) {
            for (int s = 0; s < 3; s++) {
                losses.add(dp.step(imgs, shape, labels, 40.0, 2.0).loss());
            }
            return dp.main().model().namedParameters().get("cls_head.fc_cls.weight").getArray().toFloatArray();
        }
    }

    /** The parameter change of one plain SGD step with LR 1: minus the (averaged) gradient. */
    static List<float[]> gradients(Supplier<Recognizer3D> factory, int replicas, Shape clip, float[] imgs, long[] shape,
            int[] labels) {
        try (DataParallel dp = new DataParallel(Collections.nCopies(replicas, Device.cpu()), factory, 1,
                new Shape(1).addAll(clip), new OptimizerConfig("SGD", 1.0, 0.0, 0.0, 0.0, false, null))) {
            List<float[]> before = new ArrayList<>();
            dp.main().model().namedParameters().values().forEach(p -> before.add(p.getArray().toFloatArray()));
            dp.step(imgs, shape, labels, null, 2.0);
            List<float[]> delta = new ArrayList<>();
            int i = 0;
            for (Parameter p : dp.main().model().namedParameters().values()) {
                float[] after = p.getArray().toFloatArray();
                float[] b = before.get(i++);
                for (int k = 0; k < after.length; k++) {
                    after[k] = b[k] - after[k];
                }
                delta.add(after);
            }
            return delta;
        }
    }

    static void assertMultiCoreGradientsEqualOneThread(Supplier<Recognizer3D> factory, Shape clip, int batch) {
        long[] shape = new Shape(batch).addAll(clip).getShape();
        float[] imgs = randomClips(shape, 9);
        int[] labels = new int[batch];
        Arrays.setAll(labels, i -> (3 * i + 1) % 4);
        List<float[]> one = gradients(factory, 1, clip, imgs, shape, labels);
        List<float[]> multi = gradients(factory, 2, clip, imgs, shape, labels);
        for (int i = 0; i < one.size(); i++) {
            assertArrayEquals(one.get(i), multi.get(i), 1e-5f, "gradient " + i);
        }
    }

    @Test
    void guardMultiCoreGradientsEqualOneThreadOnTheTinyModel() {
        assertMultiCoreGradientsEqualOneThread(DataParallelTest::frozenBnModel, CLIP, 4);
    }

    @Test
    void guardMultiCoreGradientsEqualOneThreadOnR50() {
        Supplier<Recognizer3D> r50 = () -> {
            Recognizer3D m = Recognizer3D.build(LoadedConfig.load(R50, List.of("model.cls_head.dropout_ratio=0",
                    "model.cls_head.num_classes=4")));
            m.batchNorms().forEach(b -> b.bn().setEvalMode(true));
            return m;
        };
        assertMultiCoreGradientsEqualOneThread(r50, new Shape(3, 8, 32, 32), 2);
    }

    static float[] randomClips(long[] shape, long seed) {
        float[] imgs = new float[Math.toIntExact(new Shape(shape).size())];
        Random r = new Random(seed);
        for (int i = 0; i < imgs.length; i++) {
            imgs[i] = (float) r.nextGaussian();
        }
        return imgs;
    }
}
