package org.slowfast.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.ResultsFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast eval-metric}: MMAction2's {@code tools/analysis/eval_metric.py}. Evaluates a saved results file
 * against {@code data.test}'s annotations without the model.
 */
@Command(name = "eval-metric", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Evaluate a saved results file against data.test's labels, without the model.")
public final class EvalMetricCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file (needs model and data.test).")
    Path config;

    @Parameters(index = "1", paramLabel = "RESULTS",
            description = "One array of class scores per video: .pkl/.pickle (MMAction2's default), .json, .yaml/.yml.")
    Path results;

    @Option(names = "--json", description = "Print only one JSON object of the metrics, at full precision.")
    boolean json;

    @Mixin EvalOptions eval;

    @Override
    public Integer call() {
        if (eval.metrics().isEmpty()) {
            throw new SlowfastException("give the metrics to compute with --eval METRIC ...");
        }
        LoadedConfig cfg = LoadedConfig.load(config, eval.cfgOptions);
        cfg.require("model.cls_head.num_classes", "data.test");
        EvalReport report = eval.report(cfg, null);
        ClipDataset dataset = ClipDataset.build(cfg, "test");
        int[][] labels = dataset.labelSets();
        int numClasses = cfg.config().model().clsHead().numClasses();
        double[][] scores = ResultsFile.read(results);
        ResultsFile.checkShape(results, scores, labels.length, numClasses);
        LinkedHashMap<String, Double> metrics = report.run(scores, labels, numClasses, json ? null : System.out,
                json ? null : System.out);
        if (json) {
            System.out.println(ResultsFile.metricsJson(metrics));
        }
        return 0;
    }
}
