package org.slowfast.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.LabelMap;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.Evaluator;
import picocli.CommandLine.Option;

/** The evaluation options that {@code test}, {@code eval-metric} and {@code spark-test} share (a picocli mixin). */
public final class EvalOptions {
    @Option(names = "--eval", arity = "1..*", paramLabel = "METRIC",
            description = "Metrics: top_k_accuracy, mean_class_accuracy, mean_average_precision, "
                    + "mmit_mean_average_precision (topk from "
                    + "evaluation.metric_options.top_k_accuracy.topk, default 1 5).")
    List<String> metrics = new ArrayList<>();

    @Option(names = {"--eval-options", "--options"}, arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Arguments of dataset.evaluate(), as MMAction2's --eval-options: topk=1,3 (top_k_accuracy's "
                    + "k values; also (1,3) or [1,3]) and metrics=NAME,... (replaces --eval).")
    List<String> evalOptions = new ArrayList<>();

    @Option(names = "--metrics-out", paramLabel = "FILE",
            description = "Write the metrics as one JSON object to this file.")
    Path metricsOut;

    @Option(names = "--confusion-matrix", paramLabel = "FILE.png", description = "Write the confusion matrix as a PNG heat map.")
    Path confusionMatrix;

    @Option(names = "--per-class", description = "Print the per-class accuracy table.")
    boolean perClass;

    @Option(names = "--label-map", paramLabel = "FILE", description = "Class names, one per line (for the table and the plot).")
    Path labelMap;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    /** {@code --cfg-options}: the config keys to override. */
    public List<String> cfgOptions() {
        return cfgOptions;
    }

    /** The report for this config; {@code defaultMetricsOut} applies when {@code --metrics-out} is absent. */
    public EvalReport report(LoadedConfig cfg, Path defaultMetricsOut) {
        List<String> topk = evalOption("topk");
        int[] k = topk == null ? Evaluator.topkOf(cfg.config()) : topk.stream().mapToInt(v -> {
            try {
                return Integer.parseInt(v);
            } catch (NumberFormatException e) {
                throw new SlowfastException("--eval-options topk: '" + v + "' is not an integer");
            }
        }).toArray();
        return new EvalReport(metrics(), k, metricsOut != null ? metricsOut : defaultMetricsOut, confusionMatrix,
                perClass, classNames(cfg));
    }

    /** The metrics to compute: {@code --eval}, or {@code --eval-options metrics=...} which MMAction2 merges over it. */
    public List<String> metrics() {
        List<String> override = evalOption("metrics");
        return override != null ? override : metrics;
    }

    /**
     * The values of one {@code --eval-options} key, parsed as mmcv's DictAction does ({@code a,b}, {@code (a,b)},
     * {@code [a,b]} or one value), or null when it is not given. Unknown keys fail.
     */
    private List<String> evalOption(String key) {
        List<String> found = null;
        for (String option : evalOptions) {
            int eq = option.indexOf('=');
            String name = eq < 0 ? option : option.substring(0, eq).strip();
            if (!name.equals("topk") && !name.equals("metrics")) {
                throw new SlowfastException("--eval-options: unknown option '" + option + "' (topk=K,..., "
                        + "metrics=NAME,...)");
            }
            String value = option.substring(eq + 1).replace(" ", "").replaceAll("^['\"]|['\"]$", "");
            if (value.matches("^[(\\[].*[)\\]]$")) {
                value = value.substring(1, value.length() - 1);
            }
            if (eq < 0 || value.isEmpty()) {
                throw new SlowfastException("--eval-options: expected KEY=VALUE, got '" + option + "'");
            }
            if (name.equals(key)) {
                found = List.of(value.split(","));
            }
        }
        return found;
    }

    /** The label map's class names (one per class of the model), or null without {@code --label-map}. */
    private List<String> classNames(LoadedConfig cfg) {
        if (labelMap == null) {
            return null;
        }
        cfg.require("model.cls_head.num_classes");
        return LabelMap.read(labelMap).checkClasses(cfg.config().model().clsHead().numClasses()).names();
    }
}
