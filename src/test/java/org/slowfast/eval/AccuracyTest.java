package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;

/** Hand-computed cases for MMAction2's top_k_accuracy and mean_class_accuracy. */
class AccuracyTest {
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
                () -> new Evaluator(List.of("mean_average_precision"), Evaluator.DEFAULT_TOPK));
        assertEquals("metric 'mean_average_precision' is not supported; choose from top_k_accuracy, "
                + "mean_class_accuracy", unknown.getMessage());
        Evaluator evaluator = new Evaluator(List.of("top_k_accuracy"), Evaluator.DEFAULT_TOPK);
        SlowfastException length = assertThrows(SlowfastException.class,
                () -> evaluator.evaluate(SCORES, new int[] {0, 1}, null));
        assertEquals("the length of results is not equal to the dataset length: 4 != 2", length.getMessage());
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
