package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** clip_grad_norm_ on gradients g = (1,2,-1,.5), (.3,-.7), (1.5,-2): norms by hand and torch 1.13 agree. */
class GradClipTest {
    @ParameterizedTest
    @CsvSource({
        // L2: sqrt(1+4+1+.25+.09+.49+2.25+4) = sqrt(13.08); L1: 9; inf: 2
        "2, 1, 3.6166281700134277",
        "2, 100, 3.6166281700134277",
        "1, 1, 9.0",
        "1, 100, 9.0",
        "Infinity, 1, 2.0",
        "Infinity, 100, 2.0",
    })
    void totalNormAndScaledGradients(double normType, double maxNorm, double expectedNorm) {
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = TorchSgdTest.params(m);
            TorchSgdTest.setGradients(params, TorchSgdTest.C[0]);
            double total = GradClip.clipGradNorm(new ArrayList<>(params.values()), maxNorm, normType);
            assertEquals(expectedNorm, total, 1e-5);
            double scale = Math.min(1, maxNorm / (expectedNorm + 1e-6));
            int i = 0;
            for (Parameter p : params.values()) {
                float[] expected = TorchSgdTest.C[0][i++].clone();
                for (int k = 0; k < expected.length; k++) {
                    expected[k] *= (float) scale;
                }
                try (NDArray g = p.getArray().getGradient()) {
                    assertArrayEquals(expected, g.toFloatArray(), 1e-6f);
                }
            }
        }
    }

    @ParameterizedTest
    @CsvSource({
        "2, 3.6166281700134277",
        "1, 9.0",
        "Infinity, 2.0",
        // (1+8+1+.125+.027+.343+3.375+8)^(1/3) = 21.87^(1/3)
        "3, 2.796509255358473",
    })
    void flatNormOverChunksAndItsCoefficient(double normType, double expectedNorm) {
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = TorchSgdTest.params(m);
            List<Parameter> list = new ArrayList<>(params.values());
            FlatParameters flat = new FlatParameters(list, List.of(List.of(0, 1, 2)));
            TorchSgdTest.setGradients(params, TorchSgdTest.C[0]);
            for (Chunks chunks : List.of(Chunks.SERIAL, new Chunks(pool, 3))) {
                assertEquals(expectedNorm, GradClip.gradNorm(flat, normType, chunks), 1e-6);
            }
            assertEquals((float) (1 / (expectedNorm + 1e-6)), GradClip.coefficient(1, expectedNorm));
            assertEquals(1f, GradClip.coefficient(100, expectedNorm));
        } finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @CsvSource({"1.0", "0.5"})
    void frozenParametersAreIgnored(double maxNorm) {
        try (NDManager m = NDManager.newBaseManager()) {
            LinkedHashMap<String, Parameter> params = TorchSgdTest.params(m);
            TorchSgdTest.setGradients(params, TorchSgdTest.C[0]);
            List<Parameter> list = new ArrayList<>(params.values());
            list.get(0).freeze(true);
            // only (.3,-.7) and (1.5,-2): sqrt(.09+.49+2.25+4) = sqrt(6.83)
            assertEquals(Math.sqrt(6.83), GradClip.clipGradNorm(list, maxNorm, 2), 1e-5);
        }
    }
}
