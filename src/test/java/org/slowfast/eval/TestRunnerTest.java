package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.Device;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.slowfast.config.LoadedConfig;
import org.slowfast.model.AverageClips;
import org.slowfast.data.BatchSource;

/** Batches over one or several model replicas come back in annotation order. */
class TestRunnerTest {
    private static final int VIDEOS = 5;
    private static final int VIEW = 3 * 8 * 32 * 32;

    @Test
    void severalReplicasReturnRowsInAnnotationOrder() {
        float[][] videos = new float[VIDEOS][6 * VIEW];
        Random r = new Random(3);
        for (float[] v : videos) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) r.nextGaussian();
            }
        }
        float[][] one = run(videos, 1, 2, AverageClips.PROB).flat();
        TestRunner.Scores threeReplicas = run(videos, 3, 1, AverageClips.PROB);
        float[][] three = threeReplicas.flat();
        assertArrayEquals(new int[] {0, 10, 20, 30, 40}, threeReplicas.labels());
        assertEquals(VIDEOS, one.length);
        for (int i = 0; i < VIDEOS; i++) {
            assertArrayEquals(one[i], three[i], 1e-6f, "video " + i);
        }
        // each video alone gives its own row: the order is the annotation order, not the completion order
        for (int i = 0; i < VIDEOS; i++) {
            float[][] alone = run(new float[][] {videos[i]}, 1, 1, AverageClips.PROB).flat();
            assertArrayEquals(alone[0], one[i], 1e-6f);
        }
        float[][] perView = run(videos, 2, 2, AverageClips.NONE).flat();
        assertEquals(VIDEOS * 6, perView.length);
    }

    private static TestRunner.Scores run(float[][] videos, int replicas, int batchSize, AverageClips mode) {
        List<InferenceModel> models = new ArrayList<>();
        try {
            for (int i = 0; i < replicas; i++) {
                models.add(InferenceModel.load(LoadedConfig.load(InferenceModelTest.CONFIG, List.of()), null,
                        Device.cpu(), mode));
            }
            List<BatchSource.Batch> batches = new ArrayList<>();
            for (int first = 0; first < videos.length; first += batchSize) {
                int n = Math.min(batchSize, videos.length - first);
                float[] views = new float[n * 6 * VIEW];
                for (int b = 0; b < n; b++) {
                    System.arraycopy(videos[first + b], 0, views, b * 6 * VIEW, 6 * VIEW);
                }
                int[] indices = new int[n];
                int[] labels = new int[n];
                for (int b = 0; b < n; b++) {
                    indices[b] = first + b;
                    labels[b] = 10 * (first + b);
                }
                batches.add(new BatchSource.Batch(views, new long[] {n, 6, 3, 8, 32, 32}, labels, indices));
            }
            return TestRunner.run(models, batches.iterator(), videos.length);
        } finally {
            models.forEach(InferenceModel::close);
        }
    }

    @Test
    void aFailingBatchStopsAllReplicasAndPropagates() {
        List<InferenceModel> models = new ArrayList<>();
        try {
            for (int i = 0; i < 2; i++) {
                models.add(InferenceModel.load(LoadedConfig.load(InferenceModelTest.CONFIG, List.of()), null,
                        Device.cpu(), AverageClips.PROB));
            }
            List<BatchSource.Batch> batches = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                batches.add(new BatchSource.Batch(new float[6 * VIEW], new long[] {1, 6, 3, 8, 32, 32},
                        new int[] {0}, new int[] {i}));
            }
            batches.set(1, new BatchSource.Batch(new float[6 * VIEW], new long[] {1, 6, 3, 8, 32, 32, 1},
                    new int[] {0}, new int[] {1}));
            assertThrows(IllegalArgumentException.class, () -> TestRunner.run(models, batches.iterator(), 4));
        } finally {
            models.forEach(InferenceModel::close);
        }
    }
}
