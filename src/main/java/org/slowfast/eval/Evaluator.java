package org.slowfast.eval;

import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slowfast.SlowfastException;
import org.slowfast.config.Config;
import org.slowfast.config.EvaluationConfig;

/**
 * MMAction2 0.x's {@code BaseDataset.evaluate} for single-label datasets: runs the named metrics in the given order
 * and returns {@code top{k}_acc} and {@code mean_class_accuracy} entries in that order, printing the same
 * "Evaluating ..." log lines.
 */
public final class Evaluator {
    public static final String TOP_K_ACCURACY = "top_k_accuracy";
    public static final String MEAN_CLASS_ACCURACY = "mean_class_accuracy";
    public static final List<String> METRICS = List.of(TOP_K_ACCURACY, MEAN_CLASS_ACCURACY);
    public static final int[] DEFAULT_TOPK = {1, 5};

    private final List<String> metrics;
    private final int[] topk;

    public Evaluator(List<String> metrics, int[] topk) {
        if (metrics.isEmpty()) {
            throw new SlowfastException("no metric given; choose from " + String.join(", ", METRICS));
        }
        for (String m : metrics) {
            if (!METRICS.contains(m)) {
                throw new SlowfastException("metric '" + m + "' is not supported; choose from "
                        + String.join(", ", METRICS));
            }
        }
        for (int k : topk) {
            if (k < 1) {
                throw new SlowfastException("top_k_accuracy: topk must be positive, got " + k);
            }
        }
        this.metrics = List.copyOf(metrics);
        this.topk = topk.clone();
    }

    /** {@code topk} from {@code evaluation.metric_options.top_k_accuracy.topk} (an int or a list), else (1, 5). */
    public static int[] topkOf(Config config) {
        EvaluationConfig evaluation = config.evaluation();
        Object options = evaluation == null || evaluation.metricOptions() == null ? null
                : evaluation.metricOptions().get(TOP_K_ACCURACY);
        Object topk = options instanceof Map<?, ?> m ? m.get("topk") : null;
        if (topk == null) {
            return DEFAULT_TOPK.clone();
        }
        if (topk instanceof Integer k) {
            return new int[] {k};
        }
        if (topk instanceof List<?> list && list.stream().allMatch(Integer.class::isInstance)) {
            return list.stream().mapToInt(o -> (Integer) o).toArray();
        }
        throw new SlowfastException("evaluation.metric_options.top_k_accuracy.topk: expected an integer or a list "
                + "of integers, got " + topk);
    }

    /**
     * Evaluates one score row per video against the labels. {@code log} receives MMAction2's evaluation log lines
     * (null for none).
     */
    public LinkedHashMap<String, Double> evaluate(double[][] scores, int[] labels, PrintStream log) {
        if (scores.length != labels.length) {
            throw new SlowfastException("the length of results is not equal to the dataset length: "
                    + scores.length + " != " + labels.length);
        }
        LinkedHashMap<String, Double> results = new LinkedHashMap<>();
        for (String metric : metrics) {
            print(log, System.lineSeparator() + "Evaluating " + metric + " ...");
            if (metric.equals(TOP_K_ACCURACY)) {
                double[] acc = Accuracy.topKAccuracy(scores, labels, topk);
                StringBuilder msg = new StringBuilder();
                for (int i = 0; i < topk.length; i++) {
                    results.put("top" + topk[i] + "_acc", acc[i]);
                    msg.append(System.lineSeparator()).append("top").append(topk[i]).append("_acc\t")
                            .append(format4(acc[i]));
                }
                print(log, msg.toString());
            } else {
                double mean = Accuracy.meanClassAccuracy(scores, labels);
                results.put(MEAN_CLASS_ACCURACY, mean);
                print(log, System.lineSeparator() + "mean_acc\t" + format4(mean));
            }
        }
        return results;
    }

    /** The metric lines that {@code tools/test.py} prints: {@code name: value}, 4 decimals. */
    public static void printResults(Map<String, Double> results, PrintStream out) {
        results.forEach((name, value) -> out.println(name + ": " + format4(value)));
    }

    /** Python's {@code f"{x:.4f}"}: the exact binary value rounded half-to-even. */
    public static String format4(double x) {
        if (!Double.isFinite(x)) {
            return Double.isNaN(x) ? "nan" : x > 0 ? "inf" : "-inf";
        }
        return new BigDecimal(x).setScale(4, RoundingMode.HALF_EVEN).toPlainString();
    }

    public int[] topk() {
        return topk.clone();
    }

    private static void print(PrintStream log, String msg) {
        if (log != null) {
            log.println(msg);
        }
    }
}
