package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;

/** Hand-computed cases for MMAction2's accuracy metrics and average precisions, plus a numpy fixture. */
class AccuracyTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    // preds (first argmax): 1, 0, 2, 0; labels 1, 2, 1, 0.
    // Ranks of the labels: 0; 2 (0.5 and 0.3 above 0.2); 2 (0.4 above, and the 0.3 tie at class 0); 0.
    private static final double[][] SCORES = {
        {0.1, 0.7, 0.2},
        {0.5, 0.3, 0.2},
        {0.3, 0.3, 0.4},
        {0.6, 0.1, 0.3},
    };
    private static final int[] LABELS = {1, 2, 1, 0};

    @Test
    void topKCountsLabelAmongKHighest() {
        assertArrayEquals(new double[] {0.5, 0.5, 1.0}, Accuracy.topKAccuracy(SCORES, LABELS, new int[] {1, 2, 3}));
    }

    @Test
    void kAboveNumberOfClassesTakesEveryClass() {
        assertArrayEquals(new double[] {1.0, 1.0}, Accuracy.topKAccuracy(SCORES, LABELS, new int[] {5, 400}));
    }

    @Test
    void tiesRankTheLowerClassIndexFirst() {
        double[][] tie = {{0.5, 0.5, 0.0}};
        assertArrayEquals(new double[] {1.0}, Accuracy.topKAccuracy(tie, new int[] {0}, new int[] {1}));
        assertArrayEquals(new double[] {0.0, 1.0}, Accuracy.topKAccuracy(tie, new int[] {1}, new int[] {1, 2}));
        assertArrayEquals(new int[] {0, 1, 2}, Accuracy.topK(new double[] {0.5, 0.5, 0.0}, 5));
        assertArrayEquals(new int[] {2, 0}, Accuracy.topK(new double[] {0.1, 0.1, 0.9, 0.1}, 2));
        assertEquals(1, Accuracy.argmax(new double[] {0.0, 0.5, 0.5}));
    }

    @Test
    void meanClassAccuracyOverTheUnionOfPredictedAndTrueLabels() {
        // class 0: 1/1, class 1: 1/2, class 2: 0/1 -> (1 + 0.5 + 0) / 3
        assertEquals(0.5, Accuracy.meanClassAccuracy(SCORES, LABELS), 0.0);
    }

    @Test
    void classPredictedButNeverTrueCountsZeroAndAbsentClassesAreLeftOut() {
        double[][] scores = {
            {0.9, 0, 0, 0, 0.1}, // label 0, pred 0
            {0, 0.2, 0, 0, 0.8}, // label 1, pred 4
            {0, 0.6, 0, 0, 0.4}, // label 1, pred 1
        };
        int[] labels = {0, 1, 1};
        // union {0, 1, 4}: 1, 1/2, 0 (never true); classes 2 and 3 occur nowhere and are not averaged
        assertEquals(0.5, Accuracy.meanClassAccuracy(scores, labels), 0.0);
        ConfusionMatrix cm = ConfusionMatrix.of(scores, labels);
        assertArrayEquals(new int[] {0, 1, 4}, cm.classes());
        assertArrayEquals(new long[][] {{1, 0, 0}, {0, 1, 1}, {0, 0, 0}}, cm.counts());
        assertArrayEquals(new double[] {1.0, 0.5, 0.0}, cm.perClassAccuracy());
    }

    @Test
    void classTrueButNeverPredictedCountsZero() {
        double[][] scores = {{0.9, 0.1}, {0.8, 0.2}, {0.7, 0.3}};
        int[] labels = {0, 0, 1};
        assertEquals(0.5, Accuracy.meanClassAccuracy(scores, labels), 0.0); // (2/2 + 0/1) / 2
    }

    @Test
    void emptySetIsAClearError() {
        SlowfastException e = assertThrows(SlowfastException.class,
                () -> Accuracy.topKAccuracy(new double[0][], new int[0], new int[] {1}));
        assertEquals("cannot evaluate an empty result set (no videos)", e.getMessage());
        assertThrows(SlowfastException.class, () -> Accuracy.meanClassAccuracy(new double[0][], new int[0]));
    }

    @Test
    void evaluatorReturnsMmaction2KeysInMetricOrderAndLogsItsLines() {
        Evaluator evaluator = new Evaluator(List.of("mean_class_accuracy", "top_k_accuracy"), new int[] {1, 2});
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Map<String, Double> r = evaluator.evaluate(SCORES, LABELS, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertEquals(List.of("mean_class_accuracy", "top1_acc", "top2_acc"), List.copyOf(r.keySet()));
        assertEquals(List.of(0.5, 0.5, 0.5), List.copyOf(r.values()));
        String nl = System.lineSeparator();
        assertEquals(nl + "Evaluating mean_class_accuracy ..." + nl + nl + "mean_acc\t0.5000" + nl
                + nl + "Evaluating top_k_accuracy ..." + nl + nl + "top1_acc\t0.5000" + nl + "top2_acc\t0.5000" + nl,
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void evaluatorRejectsUnknownMetricsAndLengthMismatch() {
        SlowfastException unknown = assertThrows(SlowfastException.class,
                () -> new Evaluator(List.of("map"), Evaluator.DEFAULT_TOPK));
        assertEquals("metric 'map' is not supported; choose from top_k_accuracy, mean_class_accuracy, "
                + "mean_average_precision, mmit_mean_average_precision", unknown.getMessage());
        Evaluator evaluator = new Evaluator(List.of("top_k_accuracy"), Evaluator.DEFAULT_TOPK);
        SlowfastException length = assertThrows(SlowfastException.class,
                () -> evaluator.evaluate(SCORES, new int[] {0, 1}, null));
        assertEquals("the length of results is not equal to the dataset length: 4 != 2", length.getMessage());
    }

    @Test
    void meanAveragePrecisionByHand() {
        // class 0: scores .9 .3 .6 .1, positives videos 0 and 2 -> both ranked first: AP 1
        // class 1: .2 .8 .4 .5, positives 1 and 2 -> ranks 1 and 3: .5 * 1 + .5 * 2/3 = 5/6
        // class 2: .4 .4 .1 .9, positives 0 and 3 -> 0.9 hit (P 1, R .5), the 0.4 tie holds one hit and one miss
        //          (P 2/3, R 1): 5/6;  class 3 has no positive and is left out -> mAP = (1 + 5/6 + 5/6) / 3 = 8/9
        double[][] scores = {{0.9, 0.2, 0.4, 0.1}, {0.3, 0.8, 0.4, 0.2}, {0.6, 0.4, 0.1, 0.3}, {0.1, 0.5, 0.9, 0.4}};
        int[][] labels = {{0, 2}, {1}, {0, 1}, {2}};
        assertEquals(8.0 / 9, Accuracy.meanAveragePrecision(scores, labels, 4), 1e-15);
        // per video: v0 {0, 2} ranked 1st and 2nd: 1; v1 {1} first: 1; v2 {0, 1} first and second: 1;
        // v3 {2} first: 1
        assertEquals(1.0, Accuracy.mmitMeanAveragePrecision(scores, labels, 4), 1e-15);
        assertEquals(Double.NaN, Accuracy.meanAveragePrecision(new double[][] {{0.5, 0.5}}, new int[][] {{}}, 2));
        assertEquals("mean average precision: 4 class scores per video but num_classes is 5", assertThrows(
                SlowfastException.class, () -> Accuracy.meanAveragePrecision(scores, labels, 5)).getMessage());
    }

    @Test
    void averagePrecisionsMatchTheNumpyFixture() throws Exception {
        // tools/fixtures/make_results_fixtures.py: ties, a class without positives, 1-3 labels per video
        JsonNode map = JSON.readTree(
                Path.of("src/test/resources/results/map.json").toFile());
        for (String name : List.of("random", "e2e")) {
            JsonNode m = map.get(name);
            double[][] scores = JSON.convertValue(m.get("scores"),
                    double[][].class);
            int[][] labels = JSON.convertValue(m.get("labels"),
                    int[][].class);
            int k = m.get("num_classes").asInt();
            Evaluator evaluator = new Evaluator(List.of("mean_average_precision", "mmit_mean_average_precision"),
                    Evaluator.DEFAULT_TOPK);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            Map<String, Double> r = evaluator.evaluate(scores, labels, k,
                    new PrintStream(bytes, true, StandardCharsets.UTF_8));
            assertEquals(m.get("mean_average_precision").asDouble(), r.get("mean_average_precision"), 1e-12, name);
            assertEquals(m.get("mmit_mean_average_precision").asDouble(), r.get("mmit_mean_average_precision"),
                    1e-12, name);
            String nl = System.lineSeparator();
            assertEquals(nl + "Evaluating mean_average_precision ..." + nl + nl + "mean_average_precision\t"
                    + Evaluator.format4(m.get("mean_average_precision").asDouble()) + nl + nl
                    + "Evaluating mmit_mean_average_precision ..." + nl + nl + "mmit_mean_average_precision\t"
                    + Evaluator.format4(m.get("mmit_mean_average_precision").asDouble()) + nl,
                    bytes.toString(StandardCharsets.UTF_8));
        }
        SlowfastException multi = assertThrows(SlowfastException.class, () -> new Evaluator(
                List.of("top_k_accuracy"), Evaluator.DEFAULT_TOPK).evaluate(SCORES, new int[][] {{1}, {0, 2}, {1},
                    {0}}, 3, null));
        assertEquals("top_k_accuracy needs one label per video, but video 1 has 2 (multi_class datasets: use "
                + "mean_average_precision)", multi.getMessage());
    }

    @Test
    void fourDecimalsRoundTheExactBinaryValueHalfToEvenAsPython() {
        // values checked with Python's f"{x:.4f}"
        assertEquals("0.3000", Evaluator.format4(0.30005));
        assertEquals("0.1001", Evaluator.format4(0.10005));
        assertEquals("0.0312", Evaluator.format4(0.03125));
        assertEquals("0.6667", Evaluator.format4(2.0 / 3));
        assertEquals("1.0000", Evaluator.format4(1.0));
    }
}
