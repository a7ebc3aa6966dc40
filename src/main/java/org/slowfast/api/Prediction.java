package org.slowfast.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slowfast.eval.Accuracy;

/**
 * The class scores of one video, as {@code test_cfg.average_clips} combines its views (softmax probabilities for
 * {@code prob}, mean logits for {@code score}), with the class names.
 *
 * @param labels the name of each class (the class indices as strings without a label map)
 * @param scores one score per class
 */
public record Prediction(List<String> labels, float[] scores) {
    /**
     * The {@code k} best classes as {@code {label: score}} in descending order of score (ties: lower index first), as
     * MMAction2's TorchServe handler answers.
     */
    public Map<String, Float> top(int k) {
        double[] row = new double[scores.length];
        for (int c = 0; c < row.length; c++) {
            row[c] = scores[c];
        }
        Map<String, Float> out = new LinkedHashMap<>();
        for (int c : Accuracy.topK(row, k)) {
            out.put(labels.get(c), scores[c]);
        }
        return out;
    }
}
