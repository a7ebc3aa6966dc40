package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slowfast.config.LoadedConfig;
import org.slowfast.model.AverageClips;

/** Multi-view averaging and view chunking of the tiny model, checked against the per-view logits. */
class InferenceModelTest {
    static final Path CONFIG = Path.of("src/test/resources/eval/tiny_test.yaml");
    static final long[] SHAPE = {2, 6, 3, 8, 32, 32};

    @Test
    void testInputShapeFollowsTheTestPipeline() {
        LoadedConfig cfg = LoadedConfig.load(CONFIG, List.of());
        TestInputShape shape = TestInputShape.of(cfg.config().data().test().pipeline(), "data.test.pipeline");
        assertEquals(new TestInputShape(6, 8, 32, 32), shape);
        LoadedConfig r50 = LoadedConfig.load(
                Path.of("configs/recognition/slowfast/slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml"), List.of());
        assertEquals(new TestInputShape(30, 32, 256, 256),
                TestInputShape.of(r50.config().data().test().pipeline(), "data.test.pipeline"));
    }

    @Test
    void probAndScoreAverageThePerViewLogits() {
        float[] input = input();
        float[][] logits = predict(AverageClips.NONE, input);
        float[][] prob = predict(AverageClips.PROB, input);
        float[][] score = predict(AverageClips.SCORE, input);
        assertEquals(12, logits.length);
        assertEquals(2, prob.length);
        for (int b = 0; b < 2; b++) {
            double[] expectProb = new double[5];
            double[] expectScore = new double[5];
            for (int v = 0; v < 6; v++) {
                float[] row = logits[b * 6 + v];
                double max = Double.NEGATIVE_INFINITY;
                for (float x : row) {
                    max = Math.max(max, x);
                }
                double sum = 0;
                for (float x : row) {
                    sum += Math.exp(x - max);
                }
                for (int k = 0; k < 5; k++) {
                    expectProb[k] += Math.exp(row[k] - max) / sum / 6;
                    expectScore[k] += row[k] / 6.0;
                }
            }
            for (int k = 0; k < 5; k++) {
                assertEquals(expectProb[k], prob[b][k], 1e-6);
                assertEquals(expectScore[k], score[b][k], 1e-5);
            }
        }
    }

    @Test
    void chunkedViewsEqualUnchunked() {
        float[] input = input();
        float[][] whole = predict(AverageClips.PROB, input);
        for (String chunk : List.of("1", "4")) {
            float[][] chunked = predict(AverageClips.PROB, input, "model.test_cfg.max_testing_views=" + chunk);
            for (int b = 0; b < whole.length; b++) {
                assertArrayEquals(whole[b], chunked[b], 1e-6f);
            }
        }
    }

    @Test
    void fusedConvBnKeepsTheScoresWithin1e4() {
        // the PyTorch-made tiny checkpoint: trained-looking BN statistics, so every fold changes the weights
        LoadedConfig cfg = LoadedConfig.load(CONFIG, List.of());
        float[] input = input();
        int bns = org.slowfast.model.Recognizer3D.build(cfg).batchNorms().size();
        try (InferenceModel model = InferenceModel.load(cfg, Path.of("src/test/resources/model/tiny_state.pth"),
                Device.cpu(), AverageClips.SCORE)) {
            float[][] unfused = model.predict(input, SHAPE);
            assertEquals(bns, model.fuseConvBn());
            assertEquals(0, model.fuseConvBn());
            float[][] fused = model.predict(input, SHAPE);
            double largest = 0;
            for (int b = 0; b < unfused.length; b++) {
                for (int c = 0; c < unfused[b].length; c++) {
                    assertEquals(unfused[b][c], fused[b][c], 1e-4);
                    largest = Math.max(largest, Math.abs(unfused[b][c]));
                }
            }
            org.junit.jupiter.api.Assertions.assertTrue(largest > 1e-2, "scores too small to tell: " + largest);
        }
    }

    private static float[][] predict(AverageClips mode, float[] input, String... options) {
        try (InferenceModel model = InferenceModel.load(LoadedConfig.load(CONFIG, List.of(options)), null,
                Device.cpu(), mode)) {
            return model.predict(input, SHAPE);
        }
    }

    private static float[] input() {
        Random r = new Random(7);
        float[] v = new float[2 * 6 * 3 * 8 * 32 * 32];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    @Test
    void aTestPipelineWithoutCropsStillLoads() {
        // short-side resize only: the input size follows each video, so it cannot come from the config
        LoadedConfig cfg = LoadedConfig.load(CONFIG, List.of("data.test.pipeline.4={type: Resize, scale: [-1, 40]}"));
        try (InferenceModel model = InferenceModel.load(cfg, null, Device.cpu(), AverageClips.PROB)) {
            float[][] scores = model.predict(new float[2 * 3 * 8 * 40 * 48], new long[] {1, 2, 3, 8, 40, 48});
            assertEquals(1, scores.length);
            assertEquals(1.0, scores[0][0] + scores[0][1] + scores[0][2] + scores[0][3] + scores[0][4], 1e-5);
        }
    }
}
