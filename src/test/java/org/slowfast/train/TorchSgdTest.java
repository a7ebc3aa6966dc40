package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.config.OptimizerConfig;
import org.slowfast.io.Tensor;

/** TorchSgd against torch.optim.SGD; expected values from tools/fixtures/train_sgd_reference.py (torch 1.13). */
class TorchSgdTest {
    static final float[][] W0 = {{0.5f, -1.0f, 2.0f, 0.25f}, {1.0f, 0.5f}, {0.1f, -0.2f}};
    static final float[][][] C = {
        {{1.0f, 2.0f, -1.0f, 0.5f}, {0.3f, -0.7f}, {1.5f, -2.0f}},
        {{-0.5f, 1.0f, 2.0f, 0.0f}, {0.1f, 0.2f}, {-1.0f, 0.5f}},
        {{0.25f, -0.75f, 0.5f, 1.25f}, {-0.4f, 0.9f}, {0.2f, 0.3f}},
    };
    static final double[] LRS = {0.1, 0.05, 0.2};
    static final float TOL = 2e-6f;

    /** conv.weight (2×2), bn.weight (BN gamma) and fc.bias, as named parameters of a tiny model. */
    static LinkedHashMap<String, Parameter> params(NDManager m) {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        out.put("conv.weight", param(m, "weight", Parameter.Type.WEIGHT, W0[0], new Shape(2, 2)));
        out.put("bn.weight", param(m, "weight", Parameter.Type.GAMMA, W0[1], new Shape(2)));
        out.put("fc.bias", param(m, "bias", Parameter.Type.BIAS, W0[2], new Shape(2)));
        return out;
    }

    static Parameter param(NDManager m, String name, Parameter.Type type, float[] values, Shape shape) {
        Parameter p = Parameter.builder().setName(name).setType(type).build();
        NDArray a = m.create(values.clone(), shape);
        a.setRequiresGradient(true);
        p.setArray(a);
        return p;
    }

    /** Backward of loss = Σ c·w, so that each gradient is c. */
    static void setGradients(LinkedHashMap<String, Parameter> params, float[][] c) {
        Autograd.withGrad(() -> {
            NDArray loss = null;
            int i = 0;
            for (Parameter p : params.values()) {
                NDArray term = p.getArray().mul(p.getArray().getManager().create(c[i++], p.getShape())).sum();
                loss = loss == null ? term : loss.add(term);
            }
            Autograd.backward(loss);
            return null;
        });
    }

    static OptimizerConfig sgd(double momentum, double dampening, double wd, boolean nesterov,
            OptimizerConfig.ParamwiseCfg pw) {
        return new OptimizerConfig("SGD", 0.1, momentum, dampening, wd, nesterov, pw);
    }

    static float[][] run(OptimizerConfig cfg) {
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = params(m);
            try (TorchSgd opt = new TorchSgd(params, cfg)) {
                for (int step = 0; step < 3; step++) {
                    setGradients(params, C[step]);
                    for (TorchSgd.Group g : opt.groups()) {
                        g.lr = LRS[step] * g.initialLr() / 0.1;
                    }
                    opt.step();
                }
            }
            return params.values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
        }
    }

    static void assertParams(float[][] expected, float[][] actual) {
        for (int i = 0; i < expected.length; i++) {
            assertArrayEquals(expected[i], actual[i], TOL, "parameter " + i);
        }
    }

    @Test
    void momentumAndWeightDecayOnAllParametersWithChangingLr() {
        assertParams(new float[][] {
            {0.25478801131248474f, -1.6854963302612305f, 1.7319526672363281f, -0.15508098900318146f},
            {0.9577021598815918f, 0.4848741888999939f}, {-0.17055653035640717f, 0.23948293924331665f}},
                run(sgd(0.9, 0, 1e-2, false, null)));
    }

    @Test
    void nesterov() {
        assertParams(new float[][] {
            {0.153325155377388f, -1.7113962173461914f, 1.651426911354065f, -0.4149971604347229f},
            {1.0037394762039185f, 0.3640698790550232f}, {-0.2827773094177246f, 0.3095766305923462f}},
                run(sgd(0.9, 0, 1e-2, true, null)));
    }

    @Test
    void dampeningSkippedOnFirstStep() {
        assertParams(new float[][] {
            {0.22550000250339508f, -1.6540000438690186f, 2.0269997119903564f, -0.028499986976385117f},
            {0.9363999962806702f, 0.6018999814987183f}, {-0.2654999792575836f, 0.32649996876716614f}},
                run(sgd(0.9, 0.5, 0, false, null)));
    }

    @Test
    void plainSgdWithoutMomentum() {
        assertParams(new float[][] {
            {0.3734516501426697f, -1.0959036350250244f, 1.8929572105407715f, -0.050749167799949646f},
            {1.0415884256362915f, 0.37809687852859497f}, {-0.04007480666041374f, -0.08475049585103989f}},
                run(sgd(0, 0, 1e-2, false, null)));
    }

    @Test
    void paramwiseNoDecayOnNormAndBiasAndDoubleBiasLr() {
        assertParams(new float[][] {
            {0.25478801131248474f, -1.6854963302612305f, 1.7319526672363281f, -0.15508098900318146f},
            {0.9648999571800232f, 0.48889997601509094f}, {-0.44099998474121094f, 0.6779999732971191f}},
                run(sgd(0.9, 0, 1e-2, false,
                        new OptimizerConfig.ParamwiseCfg(null, null, 2.0, 0.0, 0.0, null, null))));
    }

    @Test
    void stepZeroesGradients() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = params(m);
            try (TorchSgd opt = new TorchSgd(params, sgd(0.9, 0, 0, false, null))) {
                setGradients(params, C[0]);
                opt.step();
                for (Parameter p : params.values()) {
                    try (NDArray g = p.getArray().getGradient()) {
                        assertEquals(0f, g.abs().sum().getFloat());
                    }
                }
            }
        }
    }

    @Test
    @SuppressWarnings("unchecked")
    void stateDictHasTorchLayoutAndResumesExactly() {
        float[][] uninterrupted = run(sgd(0.9, 0, 1e-2, false, null));
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = params(m);
            Map<Object, Object> saved;
            try (TorchSgd opt = new TorchSgd(params, sgd(0.9, 0, 1e-2, false, null))) {
                for (int step = 0; step < 2; step++) {
                    setGradients(params, C[step]);
                    opt.groups().get(0).lr = LRS[step];
                    opt.step();
                }
                saved = opt.stateDict();
            }
            Map<Object, Object> state = (Map<Object, Object>) saved.get("state");
            assertEquals(List.of(0, 1, 2), List.copyOf(state.keySet()));
            Map<Object, Object> group = (Map<Object, Object>) ((List<Object>) saved.get("param_groups")).get(0);
            assertEquals(List.of(0, 1, 2), group.get("params"));
            assertEquals(0.9, group.get("momentum"));
            assertEquals(1e-2, group.get("weight_decay"));
            try (TorchSgd resumed = new TorchSgd(params, sgd(0.9, 0, 1e-2, false, null))) {
                resumed.loadStateDict(saved, "ckpt.pth");
                setGradients(params, C[2]);
                resumed.groups().get(0).lr = LRS[2];
                resumed.step();
                Map<Object, Object> after = (Map<Object, Object>) resumed.stateDict().get("state");
                // torch's momentum_buffer after the three steps
                assertArrayEquals(new float[] {0.6214362382888794f, 1.7377293109893799f, 1.54549241065979f,
                    1.660593032836914f}, ((Tensor) ((Map<Object, Object>) after.get(0)).get("momentum_buffer"))
                        .toFloats(), TOL);
            }
            float[][] actual = params.values().stream().map(p -> p.getArray().toFloatArray()).toArray(float[][]::new);
            assertParams(uninterrupted, actual);
        }
    }

    @Test
    void mismatchedOptimizerStateIsAUserError() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = params(m);
            try (TorchSgd opt = new TorchSgd(params, sgd(0.9, 0, 0, false, null))) {
                Map<Object, Object> bad = Map.of("state", Map.of(), "param_groups",
                        List.of(Map.of("params", List.of(0, 1))));
                SlowfastException e = assertThrows(SlowfastException.class, () -> opt.loadStateDict(bad, "x.pth"));
                assertEquals(true, e.getMessage().startsWith("x.pth: optimizer:"));
            }
        }
    }
}
