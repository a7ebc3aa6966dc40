package org.slowfast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slowfast.io.PthReader;
import org.slowfast.io.Tensor;

/**
 * Parity with an independent PyTorch implementation (tools/fixtures/make_model_fixtures.py): the Java model loads
 * PyTorch's state dict through the .pth reader and reproduces its logits, view averaging, training-mode forward,
 * gradients and BN statistics updates.
 */
class PyTorchParityTest {
    static final Path DIR = Path.of("src/test/resources/model");
    NDManager manager;
    ParameterStore ps;
    Map<String, Tensor> io;
    LinkedHashMap<String, Tensor> state;

    @BeforeEach
    void setUp() {
        manager = NDManager.newBaseManager();
        ps = new ParameterStore(manager, false);
        state = PthReader.read(DIR.resolve("tiny_state.pth")).stateDict();
        io = PthReader.read(DIR.resolve("tiny_io.pth")).stateDict();
    }

    @AfterEach
    void tearDown() {
        manager.close();
    }

    private Recognizer3D loaded(String... options) {
        return loaded(DataType.FLOAT32, options);
    }

    private Recognizer3D loaded(DataType type, String... options) {
        Recognizer3D m = TinyModels.build(options);
        m.initializeWeights(manager, type, 0, TinyModels.INPUT);
        StateDicts.load(m, state, true, "tiny_state.pth");
        return m;
    }

    private NDArray array(String key) {
        Tensor t = io.get(key);
        return manager.create(t.toFloats(), new Shape(t.shape()));
    }

    @Test
    void keysAndOrderMatchTorch() {
        Recognizer3D m = TinyModels.build();
        assertEquals(List.copyOf(state.keySet()), List.copyOf(StateDicts.shapes(m).keySet()));
        StateDicts.shapes(m).forEach((k, s) -> assertArrayEquals(state.get(k).shape(), s, k));
    }

    @Test
    void evalLogitsMatchPyTorch() {
        Recognizer3D m = loaded();
        NDArray logits = m.forward(ps, new NDList(array("input")), false).singletonOrThrow();
        assertArrayEquals(io.get("logits_eval").toFloats(), logits.toFloatArray(), 1e-4f);
        NDArray prob = m.predict(ps, array("views"));
        assertArrayEquals(io.get("views_prob").toFloats(), prob.toFloatArray(), 1e-5f);
    }

    @Test
    void exportedStateDictEqualsTheLoadedOne() {
        LinkedHashMap<String, Tensor> back = StateDicts.stateDict(loaded());
        for (var e : state.entrySet()) {
            assertEquals(e.getValue().dtype(), back.get(e.getKey()).dtype(), e.getKey());
            assertArrayEquals(e.getValue().toFloats(), back.get(e.getKey()).toFloats(), e.getKey());
        }
    }

    /**
     * Batch statistics over 4 elements per channel (slow res5 of the tiny net) make a float32 training forward
     * uncertain to ~1e-3 even in PyTorch, so this compares float64 with float64.
     */
    @Test
    void trainingForwardGradientsAndStatisticsMatchPyTorch() {
        Recognizer3D m = loaded(DataType.FLOAT64, "model.cls_head.dropout_ratio=0");
        NDArray x = array("input").toType(DataType.FLOAT64, false);
        NDArray labels = manager.create(new long[] {1, 3});
        assertArrayEquals(new float[] {1, 3}, io.get("labels").toFloats());
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            NDArray logits = m.forward(ps, new NDList(x), true).singletonOrThrow();
            NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
            assertClose(io.get("logits_train").toFloats(), logits, "logits_train");
            assertEquals(io.get("loss").toFloats()[0], loss.getDouble(), 1e-6);
            gc.backward(loss);
        }
        var params = m.namedParameters();
        for (String key : io.keySet()) {
            if (key.startsWith("grad.")) {
                try (NDArray g = params.get(key.substring(5)).getArray().getGradient()) {
                    assertClose(io.get(key).toFloats(), g, key);
                }
            }
        }
        LinkedHashMap<String, Tensor> after = StateDicts.stateDict(m);
        for (String key : io.keySet()) {
            if (key.startsWith("after.")) {
                assertArrayEquals(io.get(key).toFloats(), after.get(key.substring(6)).toFloats(), 1e-5f, key);
            }
        }
    }

    /** Equal to 1e-5 of the largest magnitude (the expected values were rounded from float64 to float32). */
    private static void assertClose(float[] expected, NDArray actual, String what) {
        double[] got = actual.toType(DataType.FLOAT64, false).toDoubleArray();
        double scale = 0;
        for (float f : expected) {
            scale = Math.max(scale, Math.abs(f));
        }
        assertEquals(expected.length, got.length, what);
        for (int i = 0; i < got.length; i++) {
            assertEquals(expected[i], got[i], 1e-5 * scale, what + " at " + i);
        }
    }
}
