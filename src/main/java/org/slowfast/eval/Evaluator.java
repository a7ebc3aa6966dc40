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
 * MMAction2 0.x's {@code BaseDataset.evaluate}: runs the named metrics in the given order and returns
 * {@code top{k}_acc}, {@code mean_class_accuracy}, {@code mean_average_precision} and
 * {@code mmit_mean_average_precision} entries in that order, printing the same "Evaluating ..." log lines. The
 * accuracies need one label per video; the average precisions also take several (multi_class datasets).
 */
public final class Evaluator {
    public static final String TOP_K_ACCURACY = "top_k_accuracy";
    public static final String MEAN_CLASS_ACCURACY = "mean_class_accuracy";
    public static final String MEAN_AVERAGE_PRECISION = "mean_average_precision";
    public static final String MMIT_MEAN_AVERAGE_PRECISION = "mmit_mean_average_precision";
    public static final List<String> METRICS = List.of(TOP_K_ACCURACY, MEAN_CLASS_ACCURACY, MEAN_AVERAGE_PRECISION,
            MMIT_MEAN_AVERAGE_PRECISION);
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
        int[][] sets = new int[labels.length][];
        for (int n = 0; n < labels.length; n++) {
            sets[n] = new int[] {labels[n]};
        }
        return evaluate(scores, sets, scores.length == 0 ? 0 : scores[0].length, log);
    }

    /**
     * Evaluates one score row per video against each video's labels ({@code numClasses} wide one-hot vectors for
     * the average precisions, as MMAction2's {@code label2array}).
     */
    public LinkedHashMap<String, Double> evaluate(double[][] scores, int[][] labels, int numClasses,
            PrintStream log) {
        if (scores.length != labels.length) {
            throw new SlowfastException("the length of results is not equal to the dataset length: "
                    + scores.length + " != " + labels.length);
        }
        LinkedHashMap<String, Double> results = new LinkedHashMap<>();
        for (String metric : metrics) {
            print(log, System.lineSeparator() + "Evaluating " + metric + " ...");
            switch (metric) {
                case TOP_K_ACCURACY -> {
                    double[] acc = Accuracy.topKAccuracy(scores, single(labels, metric), topk);
                    StringBuilder msg = new StringBuilder();
                    for (int i = 0; i < topk.length; i++) {
                        results.put("top" + topk[i] + "_acc", acc[i]);
                        msg.append(System.lineSeparator()).append("top").append(topk[i]).append("_acc\t")
                                .append(format4(acc[i]));
                    }
                    print(log, msg.toString());
                }
                case MEAN_CLASS_ACCURACY -> {
                    double mean = Accuracy.meanClassAccuracy(scores, single(labels, metric));
                    results.put(MEAN_CLASS_ACCURACY, mean);
                    print(log, System.lineSeparator() + "mean_acc\t" + format4(mean));
                }
                default -> {
                    double map = metric.equals(MEAN_AVERAGE_PRECISION)
                            ? Accuracy.meanAveragePrecision(scores, labels, numClasses)
                            : Accuracy.mmitMeanAveragePrecision(scores, labels, numClasses);
                    results.put(metric, map);
                    print(log, System.lineSeparator() + metric + "\t" + format4(map));
                }
            }
        }
        return results;
    }

    /** The one label of each video for {@code what} (a metric, ...); several labels (multi_class) fail. */
    static int[] single(int[][] labels, String what) {
        int[] out = new int[labels.length];
        for (int n = 0; n < labels.length; n++) {
            if (labels[n].length != 1) {
                throw new SlowfastException(what + " needs one label per video, but video " + n + " has "
                        + labels[n].length + " (multi_class datasets: use mean_average_precision)");
            }
            out[n] = labels[n][0];
        }
        return out;
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
