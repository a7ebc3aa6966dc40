package org.slowfast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.io.Tensor;

class TinyModelTest {
    NDManager manager;
    ParameterStore ps;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private NDArray logits(Recognizer3D m, NDArray x, boolean training) {
        return m.forward(ps, new NDList(x), training).singletonOrThrow();
    }

    @Test
    void forwardGivesLogitsPerClip() {
        Recognizer3D m = TinyModels.initialized(manager, 1);
        NDArray x = TinyModels.input(manager, TinyModels.INPUT, 2);
        NDArray y = logits(m, x, false);
        assertEquals(new Shape(2, 5), y.getShape());
        // a B x 1 x C x T x H x W training batch is flattened to B clips, as Recognizer3D.forward_train does
        assertArrayEquals(y.toFloatArray(), logits(m, x.reshape(2, 1, 3, 8, 32, 32), false).toFloatArray(), 0f);
        assertEquals(new Shape(2, 5), m.getOutputShapes(new Shape[] {TinyModels.INPUT})[0]);
    }

    @Test
    void deeperTinySlowPathsRun() {
        for (String depth : new String[] {"101", "152"}) {
            Recognizer3D m = TinyModels.initialized(manager, 1, "model.backbone.slow_pathway.depth=" + depth);
            NDArray x = TinyModels.input(manager, new Shape(1, 3, 8, 32, 32), 2);
            assertEquals(new Shape(1, 5), logits(m, x, true).getShape());
            assertEquals(new Shape(1, 5), logits(m, x, false).getShape());
        }
        assertEquals(948, StateDicts.shapes(TinyModels.build("model.backbone.slow_pathway.depth=101")).size());
    }

    @Test
    void batchNormRunningStatisticsCanBeWritten() {
        Recognizer3D m = TinyModels.initialized(manager, 1);
        BatchNorm3d bn = m.batchNorms().get(1).bn();
        float[] mean = new float[bn.channels()];
        float[] var = new float[bn.channels()];
        java.util.Arrays.fill(mean, 0.25f);
        java.util.Arrays.fill(var, 4f);
        bn.setRunningStatistics(mean, var);
        String key = m.batchNorms().get(1).prefix();
        LinkedHashMap<String, Tensor> s = StateDicts.stateDict(m);
        assertArrayEquals(mean, s.get(key + ".running_mean").toFloats());
        assertArrayEquals(var, s.get(key + ".running_var").toFloats());
    }

    @Test
    void initialisationFollowsMmaction2AndIsSeeded() {
        Recognizer3D a = TinyModels.initialized(manager, 7);
        Recognizer3D b = TinyModels.initialized(manager, 7);
        Recognizer3D c = TinyModels.initialized(manager, 8);
        LinkedHashMap<String, Tensor> sa = StateDicts.stateDict(a);
        LinkedHashMap<String, Tensor> sb = StateDicts.stateDict(b);
        LinkedHashMap<String, Tensor> sc = StateDicts.stateDict(c);
        for (String k : sa.keySet()) {
            assertArrayEquals(sa.get(k).toFloats(), sb.get(k).toFloats(), k);
        }
        String conv = "backbone.slow_path.layer3.0.conv1.conv.weight"; // [32, 40, 3, 1, 1]: fan_out 96
        assertFalse(java.util.Arrays.equals(sa.get(conv).toFloats(), sc.get(conv).toFloats()));
        assertEquals(Math.sqrt(2.0 / 96), std(sa.get(conv).toFloats()), 0.1 * Math.sqrt(2.0 / 96));
        assertEquals(0.01, std(sa.get("cls_head.fc_cls.weight").toFloats()), 0.003);
        assertTrue(allEqual(sa.get("cls_head.fc_cls.bias").toFloats(), 0f));
        assertTrue(allEqual(sa.get("backbone.slow_path.layer1.0.conv3.bn.weight").toFloats(), 0f));
        assertTrue(allEqual(sa.get("backbone.fast_path.layer4.2.conv3.bn.weight").toFloats(), 0f));
        assertTrue(allEqual(sa.get("backbone.slow_path.layer1.0.conv2.bn.weight").toFloats(), 1f));
        assertTrue(allEqual(sa.get("backbone.slow_path.layer1.0.downsample.bn.weight").toFloats(), 1f));
        assertTrue(allEqual(sa.get("backbone.slow_path.conv1.bn.running_var").toFloats(), 1f));
        assertTrue(allEqual(sa.get("backbone.slow_path.conv1.bn.running_mean").toFloats(), 0f));
        Recognizer3D noZero = TinyModels.initialized(manager, 7,
                "model.backbone.slow_pathway.zero_init_residual=false");
        assertTrue(allEqual(StateDicts.stateDict(noZero).get("backbone.slow_path.layer1.0.conv3.bn.weight")
                .toFloats(), 1f));
    }

    @Test
    void stateDictRoundTripReproducesLogits() {
        Recognizer3D a = TinyModels.initialized(manager, 1);
        NDArray x = TinyModels.input(manager, TinyModels.INPUT, 3);
        logits(a, x, true); // moves running stats and counters away from their initial values
        LinkedHashMap<String, Tensor> state = StateDicts.stateDict(a);
        assertEquals(1L, state.get("backbone.slow_path.conv1.bn.num_batches_tracked").data().getLong(0));
        assertEquals(Tensor.DType.INT64, state.get("backbone.fast_path.conv1.bn.num_batches_tracked").dtype());

        Recognizer3D b = TinyModels.initialized(manager, 2);
        StateDicts.LoadResult r = StateDicts.load(b, state, true, "a.pth");
        assertTrue(r.missing().isEmpty() && r.unexpected().isEmpty() && r.shapeMismatched().isEmpty());
        LinkedHashMap<String, Tensor> back = StateDicts.stateDict(b);
        assertEquals(state.keySet().stream().toList(), back.keySet().stream().toList());
        for (String k : state.keySet()) {
            assertArrayEquals(state.get(k).toFloats(), back.get(k).toFloats(), k);
        }
        assertArrayEquals(logits(a, x, false).toFloatArray(), logits(b, x, false).toFloatArray(), 0f);
    }

    @Test
    void strictLoadListsEveryKindOfMismatch() {
        Recognizer3D a = TinyModels.initialized(manager, 1);
        LinkedHashMap<String, Tensor> state = StateDicts.stateDict(a);
        state.remove("backbone.slow_path.conv1.conv.weight");
        state.put("backbone.extra.weight", Tensor.ofFloats(new long[] {1}, new float[] {1}));
        state.put("cls_head.fc_cls.bias", Tensor.ofFloats(new long[] {3}, new float[3]));
        SlowfastException e = assertThrows(SlowfastException.class, () -> StateDicts.load(a, state, true, "x.pth"));
        assertEquals("x.pth: state dict does not match the model: missing keys (1): "
                + "backbone.slow_path.conv1.conv.weight; unexpected keys (1): backbone.extra.weight; shape mismatch"
                + " (1): cls_head.fc_cls.bias [3] in checkpoint vs [5] in model", e.getMessage());

        Map<String, Tensor> empty = new LinkedHashMap<>();
        String msg = assertThrows(SlowfastException.class, () -> StateDicts.load(a, empty, true, "e.pth"))
                .getMessage();
        int total = StateDicts.shapes(a).size();
        assertTrue(msg.contains("missing keys (" + total + "): ") && msg.endsWith("... and " + (total - 10) + " more"),
                msg);
        assertFalse(msg.contains("\n"));
    }

    @Test
    void lenientLoadSkipsAnotherClassCount() {
        Recognizer3D src = TinyModels.initialized(manager, 1);
        Recognizer3D dst = TinyModels.initialized(manager, 2, "model.cls_head.num_classes=3");
        float[] fcBefore = dst.namedParameters().get("cls_head.fc_cls.weight").getArray().toFloatArray();
        StateDicts.LoadResult r = StateDicts.load(dst, StateDicts.stateDict(src), false, "k400.pth");
        assertEquals(2, r.shapeMismatched().size());
        assertArrayEquals(fcBefore, dst.namedParameters().get("cls_head.fc_cls.weight").getArray().toFloatArray());
        String conv = "backbone.fast_path.layer2.1.conv1.conv.weight";
        assertArrayEquals(src.namedParameters().get(conv).getArray().toFloatArray(),
                dst.namedParameters().get(conv).getArray().toFloatArray());
    }

    @Test
    void batchNormKeepsTorchRunningStatistics() {
        Recognizer3D m = TinyModels.initialized(manager, 1);
        NDArray x = TinyModels.input(manager, TinyModels.INPUT, 4);
        BatchNorm3d bn = m.batchNorms().get(0).bn();
        assertEquals("backbone.slow_path.conv1.bn", m.batchNorms().get(0).prefix());
        // The stem BN sees conv1(slow input); reproduce its batch statistics by hand.
        NDArray slowIn = x.get(":, :, 0:8:4");
        NDArray conv = ai.djl.nn.convolutional.Conv3d.conv3d(slowIn,
                m.namedParameters().get("backbone.slow_path.conv1.conv.weight").getArray(), null,
                new Shape(1, 2, 2), new Shape(0, 3, 3), new Shape(1, 1, 1), 1).singletonOrThrow();
        long n = conv.getShape().size() / conv.getShape().get(1);
        NDArray mean = conv.transpose(1, 0, 2, 3, 4).reshape(8, -1).mean(new int[] {1});
        NDArray var = conv.transpose(1, 0, 2, 3, 4).reshape(8, -1).sub(mean.reshape(8, 1)).square()
                .sum(new int[] {1}).div(n - 1);
        logits(m, x, true);
        assertArrayEquals(mean.mul(0.1).toFloatArray(), bn.runningMean().getArray().toFloatArray(), 1e-5f);
        assertArrayEquals(var.mul(0.1).add(0.9).toFloatArray(), bn.runningVar().getArray().toFloatArray(), 1e-4f);
        assertEquals(1, bn.numBatchesTracked());
        logits(m, x, false);
        assertEquals(1, bn.numBatchesTracked());
    }

    @Test
    void normEvalAndFrozenStagesKeepStatistics() {
        Recognizer3D m = TinyModels.initialized(manager, 1, "model.backbone.fast_pathway.norm_eval=true",
                "model.backbone.slow_pathway.frozen_stages=1");
        logits(m, TinyModels.input(manager, TinyModels.INPUT, 4), true);
        for (Recognizer3D.NamedBatchNorm b : m.batchNorms()) {
            boolean fixed = b.prefix().startsWith("backbone.fast_path")
                    || b.prefix().startsWith("backbone.slow_path.conv1")
                    || b.prefix().startsWith("backbone.slow_path.layer1.");
            assertEquals(!fixed, b.bn().usesBatchStatistics(), b.prefix());
            assertEquals(fixed ? 0 : 1, b.bn().numBatchesTracked(), b.prefix());
        }
        Map<String, Parameter> p = m.namedParameters();
        assertFalse(p.get("backbone.slow_path.conv1.conv.weight").requiresGradient());
        assertFalse(p.get("backbone.slow_path.layer1.2.conv3.bn.bias").requiresGradient());
        assertFalse(p.get("backbone.slow_path.conv1_lateral.conv.weight").requiresGradient());
        assertTrue(p.get("backbone.slow_path.layer1_lateral.conv.weight").requiresGradient());
        assertTrue(p.get("backbone.slow_path.layer2.0.conv1.conv.weight").requiresGradient());
        assertTrue(p.get("backbone.fast_path.conv1.bn.weight").requiresGradient());
    }

    @Test
    void predictAveragesViewsAndChunks() {
        Recognizer3D m = TinyModels.initialized(manager, 1);
        logits(m, TinyModels.input(manager, TinyModels.INPUT, 4), true);
        NDArray views = TinyModels.input(manager, new Shape(2, 3, 3, 8, 32, 32), 5);
        NDArray perView = logits(m, views.reshape(6, 3, 8, 32, 32), false);
        NDArray none = m.predict(ps, views, AverageClips.NONE);
        assertArrayEquals(perView.toFloatArray(), none.toFloatArray(), 1e-5f);
        NDArray score = m.predict(ps, views, AverageClips.SCORE);
        assertArrayEquals(perView.reshape(2, 3, 5).mean(new int[] {1}).toFloatArray(), score.toFloatArray(), 1e-5f);
        NDArray prob = m.predict(ps, views);
        assertEquals(new Shape(2, 5), prob.getShape());
        assertArrayEquals(perView.reshape(2, 3, 5).softmax(2).mean(new int[] {1}).toFloatArray(),
                prob.toFloatArray(), 1e-6f);
        Recognizer3D chunked = TinyModels.build("model.test_cfg.max_testing_views=2");
        chunked.initializeWeights(manager, ai.djl.ndarray.types.DataType.FLOAT32, 9, TinyModels.INPUT);
        StateDicts.load(chunked, StateDicts.stateDict(m), true, "m");
        assertArrayEquals(prob.toFloatArray(), chunked.predict(ps, views).toFloatArray(), 1e-6f);
    }

    @Test
    void clipShorterThanTauIsOneLineError() {
        Recognizer3D m = TinyModels.initialized(manager, 1);
        SlowfastException e = assertThrows(SlowfastException.class,
                () -> logits(m, TinyModels.input(manager, new Shape(1, 3, 3, 32, 32), 1), false));
        assertEquals("a clip of 3 frames is shorter than model.backbone.resample_rate (4); clip_len must be at least 4",
                e.getMessage());
        assertThrows(SlowfastException.class,
                () -> logits(m, TinyModels.input(manager, new Shape(1, 3, 6, 32, 32), 1), false));
    }

    @Test
    void invalidModelKeysNameFileAndKey() {
        SlowfastException e = assertThrows(SlowfastException.class,
                () -> TinyModels.build("model.backbone.slow_pathway.depth=34"));
        assertTrue(e.getMessage().contains("model.backbone.slow_pathway.depth: must be 50, 101 or 152, got 34"),
                e.getMessage());
        e = assertThrows(SlowfastException.class, () -> TinyModels.build("model.cls_head.in_channels=2304"));
        assertTrue(e.getMessage().contains("model.cls_head.in_channels: must equal the backbone's output channels 320"),
                e.getMessage());
        e = assertThrows(SlowfastException.class, () -> TinyModels.build("model.backbone.channel_ratio=8"));
        assertTrue(e.getMessage().contains("model.backbone.channel_ratio"), e.getMessage());
        e = assertThrows(SlowfastException.class, () -> TinyModels.build("model.test_cfg.average_clips=max"));
        assertTrue(e.getMessage().contains("tiny.yaml") || e.getMessage().contains("--cfg-options"), e.getMessage());
    }

    private static double std(float[] v) {
        double s = 0;
        double s2 = 0;
        for (float f : v) {
            s += f;
            s2 += f * f;
        }
        double mean = s / v.length;
        return Math.sqrt(s2 / v.length - mean * mean);
    }

    private static boolean allEqual(float[] v, float value) {
        for (float f : v) {
            if (f != value) {
                return false;
            }
        }
        return true;
    }
}
