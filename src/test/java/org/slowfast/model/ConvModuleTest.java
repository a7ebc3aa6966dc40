package org.slowfast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A temporal T×1×1 convolution (run through oneDNN on the CPU by dilating its size-1 dims) against the sums written
 * out by hand: output, input gradient and weight gradient.
 */
class ConvModuleTest {
    private static final int N = 2; // libtorch's CPU backend considers oneDNN only for a batch above 1 here
    private static final int C = 2;
    private static final int O = 3;
    private static final int T = 4;
    private static final int HW = 4; // 2×2
    private static final int K = 3;

    private static float[] random(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    /** x[n][c][t][p] for t inside [0, T), else the zero padding. */
    private static float x(float[] x, int n, int c, int t, int p) {
        return t < 0 || t >= T ? 0 : x[((n * C + c) * T + t) * HW + p];
    }

    @Test
    void temporalConvolutionAndItsGradientsEqualTheHandWrittenSums() {
        Random r = new Random(3);
        float[] x = random(r, N * C * T * HW);
        float[] w = random(r, O * C * K);
        float[] g = random(r, N * O * T * HW); // d loss / d y
        float[] y = new float[N * O * T * HW];
        float[] dx = new float[N * C * T * HW];
        float[] dw = new float[O * C * K];
        for (int n = 0; n < N; n++) {
            for (int o = 0; o < O; o++) {
                for (int t = 0; t < T; t++) {
                    for (int p = 0; p < HW; p++) {
                        int out = ((n * O + o) * T + t) * HW + p;
                        for (int c = 0; c < C; c++) {
                            for (int k = 0; k < K; k++) {
                                float wk = w[(o * C + c) * K + k];
                                int s = t + k - 1;
                                y[out] += wk * x(x, n, c, s, p);
                                dw[(o * C + c) * K + k] += g[out] * x(x, n, c, s, p);
                                if (s >= 0 && s < T) {
                                    dx[((n * C + c) * T + s) * HW + p] += g[out] * wk;
                                }
                            }
                        }
                    }
                }
            }
        }
        ConvModule conv = ConvModule.builder().channels(C, O).kernel(K, 1, 1).padding(1, 0, 0).norm(false)
                .relu(false).build();
        try (NDManager m = NDManager.newBaseManager()) {
            Shape in = new Shape(N, C, T, 2, 2);
            conv.initialize(m, DataType.FLOAT32, in);
            conv.weight().getArray().set(w);
            NDArray input = m.create(x, in);
            input.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                NDArray out = conv.apply(new ParameterStore(m, false), input, true);
                assertArrayEquals(y, out.toFloatArray(), 1e-5f);
                gc.backward(out.mul(m.create(g, out.getShape())).sum());
            }
            assertArrayEquals(dx, input.getGradient().toFloatArray(), 1e-5f);
            assertArrayEquals(dw, conv.weight().getArray().getGradient().toFloatArray(), 1e-5f);
        }
    }
}
