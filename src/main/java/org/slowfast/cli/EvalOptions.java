package org.slowfast.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.LabelMap;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.Evaluator;
import picocli.CommandLine.Option;

/** The evaluation options that {@code test} and {@code eval-metric} share (a picocli mixin). */
final class EvalOptions {
    @Option(names = "--eval", arity = "1..*", paramLabel = "METRIC",
            description = "Metrics: top_k_accuracy, mean_class_accuracy (topk from "
                    + "evaluation.metric_options.top_k_accuracy.topk, default 1 5).")
    List<String> metrics = new ArrayList<>();

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

    /** The report for this config; {@code defaultMetricsOut} applies when {@code --metrics-out} is absent. */
    EvalReport report(LoadedConfig cfg, Path defaultMetricsOut) {
        return new EvalReport(metrics, Evaluator.topkOf(cfg.config()), metricsOut != null ? metricsOut
                : defaultMetricsOut, confusionMatrix, perClass, classNames(cfg));
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
