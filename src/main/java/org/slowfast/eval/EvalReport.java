package org.slowfast.eval;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.slowfast.io.AtomicFiles;

/**
 * What {@code test} and {@code eval-metric} do with scores and labels: evaluate as MMAction2 (log lines and
 * {@code name: value} lines), then the extras: a JSON copy of the metrics, the confusion-matrix PNG and the per-class
 * table. The output paths are checked when the report is made, before any inference.
 *
 * @param metrics         metric names in order ({@code top_k_accuracy}, {@code mean_class_accuracy})
 * @param topk            k values of top_k_accuracy
 * @param metricsOut      where the JSON copy of the metrics goes, or null
 * @param confusionMatrix PNG file for the confusion matrix, or null
 * @param perClass        print the per-class accuracy table
 * @param classNames      class names by index (a label map), or null
 */
public record EvalReport(List<String> metrics, int[] topk, Path metricsOut, Path confusionMatrix, boolean perClass,
        List<String> classNames) {

    public EvalReport {
        metrics = List.copyOf(metrics);
        if (!metrics.isEmpty()) {
            new Evaluator(metrics, topk); // unknown metrics fail before any work
        }
        if (confusionMatrix != null) {
            ConfusionMatrixPlot.checkPath(confusionMatrix);
            AtomicFiles.checkWritable(confusionMatrix);
        }
        if (metricsOut != null) {
            AtomicFiles.checkWritable(metricsOut);
        }
    }

    /**
     * Evaluates and writes every requested output for videos with one or more labels each; {@code log} gets the
     * evaluation lines, {@code out} the rest.
     */
    public LinkedHashMap<String, Double> run(double[][] scores, int[][] labels, int numClasses, PrintStream log,
            PrintStream out) {
        LinkedHashMap<String, Double> results = metrics.isEmpty() ? new LinkedHashMap<>()
                : new Evaluator(metrics, topk).evaluate(scores, labels, numClasses, log);
        if (out != null) {
            Evaluator.printResults(results, out);
        }
        if (metricsOut != null && !results.isEmpty()) {
            ResultsFile.writeMetrics(metricsOut, results);
        }
        if (confusionMatrix != null || perClass) {
            ConfusionMatrix cm = ConfusionMatrix.of(scores, Evaluator.single(labels,
                    confusionMatrix != null ? "--confusion-matrix" : "--per-class"));
            if (confusionMatrix != null) {
                ConfusionMatrixPlot.write(confusionMatrix, cm, classNames);
            }
            if (perClass && out != null) {
                PerClassTable.print(cm, classNames, out);
            }
        }
        return results;
    }

    /** Float32 score rows as doubles, the values MMAction2's evaluation sees. */
    public static double[][] toDoubles(float[][] rows) {
        double[][] out = new double[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = new double[rows[i].length];
            for (int c = 0; c < rows[i].length; c++) {
                out[i][c] = rows[i][c];
            }
        }
        return out;
    }
}
