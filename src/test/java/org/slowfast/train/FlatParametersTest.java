package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.config.OptimizerConfig;
import org.slowfast.io.Tensor;

/** The flat-buffer SGD step and gradient clip against the per-parameter reference (TorchSgd, GradClip). */
class FlatParametersTest {
    static Stream<Arguments> configs() {
        OptimizerConfig.ParamwiseCfg pw = new OptimizerConfig.ParamwiseCfg(null, null, 2.0, 0.0, 0.0, null, null);
        return Stream.of(
                Arguments.of(TorchSgdTest.sgd(0.9, 0, 1e-2, false, null), 1.0),
                Arguments.of(TorchSgdTest.sgd(0.9, 0, 1e-2, true, null), 100.0),
                Arguments.of(TorchSgdTest.sgd(0.9, 0.5, 0, false, null), 1.0),
                Arguments.of(TorchSgdTest.sgd(0, 0, 1e-2, false, null), 1.0),
                Arguments.of(TorchSgdTest.sgd(0.9, 0, 1e-2, false, pw), 1.0));
    }

    /** Three clipped steps with changing LRs; returns the parameters and then the momentum buffers. */
    @SuppressWarnings("unchecked")
    static List<float[]> run(OptimizerConfig cfg, double maxNorm, boolean flat) {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = TorchSgdTest.params(m);
            List<Parameter> list = new ArrayList<>(params.values());
            try (TorchSgd opt = new TorchSgd(params, cfg)) {
                FlatParameters fp = flat ? new FlatParameters(list, opt.segments()) : null;
                if (flat) {
                    opt.useFlat(fp, new Chunks(pool, 3)); // chunk borders inside segments
                }
                for (int step = 0; step < 3; step++) {
                    TorchSgdTest.setGradients(params, TorchSgdTest.C[step]);
                    double norm = flat ? GradClip.gradNorm(fp, 2, new Chunks(pool, 3))
                            : GradClip.clipGradNorm(list, maxNorm, 2);
                    assertEquals(step == 0 ? Math.sqrt(13.08) : norm, norm, 1e-5);
                    for (TorchSgd.Group g : opt.groups()) {
                        g.lr = TorchSgdTest.LRS[step] * g.initialLr() / 0.1;
                    }
                    if (flat) {
                        opt.step(GradClip.coefficient(maxNorm, norm));
                    } else {
                        opt.step();
                    }
                }
                List<float[]> out = new ArrayList<>();
                list.forEach(p -> out.add(p.getArray().toFloatArray()));
                Map<Object, Object> state = (Map<Object, Object>) opt.stateDict().get("state");
                state.values().forEach(s -> out.add(((Tensor) ((Map<Object, Object>) s).get("momentum_buffer"))
                        .toFloats()));
                return out;
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @MethodSource("configs")
    void flatStepAndClipEqualThePerParameterReference(OptimizerConfig cfg, double maxNorm) {
        List<float[]> reference = run(cfg, maxNorm, false);
        List<float[]> flat = run(cfg, maxNorm, true);
        assertEquals(reference.size(), flat.size());
        for (int i = 0; i < reference.size(); i++) {
            assertArrayEquals(reference.get(i), flat.get(i), 1e-7f, "array " + i);
        }
    }

    @Test
    void gradientsAreViewsOfOneBufferInSegmentOrder() {
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = TorchSgdTest.params(m);
            List<Parameter> list = new ArrayList<>(params.values());
            // segments: bias first, then conv + BN weight
            FlatParameters fp = new FlatParameters(list, List.of(List.of(2), List.of(0, 1)));
            float[] zero = new float[fp.size()];
            fp.readGradients(zero);
            assertArrayEquals(new float[8], zero);
            TorchSgdTest.setGradients(params, TorchSgdTest.C[0]);
            float[] g = new float[fp.size()];
            fp.readGradients(g);
            assertArrayEquals(new float[] {1.5f, -2f, 1f, 2f, -1f, .5f, .3f, -.7f}, g);
            fp.writeGradients(new float[] {8, 7, 6, 5, 4, 3, 2, 1});
            try (NDArray conv = list.get(0).getArray().getGradient()) {
                assertArrayEquals(new float[] {6, 5, 4, 3}, conv.toFloatArray());
            }
            // a second backward accumulates into the same buffer; parameters are views too
            TorchSgdTest.setGradients(params, TorchSgdTest.C[0]);
            try (NDArray bias = list.get(2).getArray().getGradient()) {
                assertArrayEquals(new float[] {9.5f, 5f}, bias.toFloatArray());
            }
            FloatBuffer values = fp.values().floats();
            for (int i = 0; i < values.capacity(); i++) {
                values.put(i, 2 * values.get(i));
            }
            assertArrayEquals(new float[] {1f, -2f, 4f, .5f}, list.get(0).getArray().toFloatArray());
        }
    }
}
