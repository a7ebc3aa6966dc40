package org.slowfast.spark;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.cli.EvalOptions;
import org.slowfast.eval.EvalReport;
import org.slowfast.model.AverageClips;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast spark-test}: {@code test} as a Spark job over a table of videos. Each row of the output Parquet
 * is an input row plus {@code scores} (as test's --out: the views averaged as average_clips says), {@code pred_label}
 * and {@code error}; {@code --eval} evaluates the scored rows as test does.
 */
@Command(name = "spark-test", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Score a table of videos with a checkpoint as a Spark job (local mode by default), as test does"
                + " for data.test: the input's columns plus scores (array<float>), pred_label and error (null, or why"
                + " that video could not be scored) in a Parquet table. A broken video never fails the job."})
public final class SparkTestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file (its data.test pipeline is used).")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Mixin SparkJobOptions job;

    @Option(names = "--average-clips", paramLabel = "prob|score|none",
            description = "Override model.test_cfg.average_clips (none: every view's logits, one after the other).")
    String averageClips;

    @Mixin EvalOptions eval;

    @Override
    public Integer call() {
        AverageClips mode = AverageClips.option(averageClips);
        SparkJob sparkJob = new SparkJob("spark-test", job, config, checkpoint, eval.cfgOptions());
        EvalReport report = eval.report(sparkJob.config(), null);
        if (!report.metrics().isEmpty() && mode == AverageClips.NONE) {
            throw new SlowfastException("--eval needs one score row per video: use --average-clips prob or score");
        }
        int numClasses = sparkJob.config().config().model().clsHead().numClasses();
        sparkJob.run(PartitionScorer.Output.SCORES, mode, false, (written, input) -> {
            if (report.metrics().isEmpty() && report.metricsOut() == null && report.confusionMatrix() == null
                    && !report.perClass()) {
                return;
            }
            if (!input.labels()) {
                throw new SlowfastException(job.input + ": --eval needs labels, but there is no column '"
                        + job.labelColumn + "' (--label-column)");
            }
            SparkJob.evaluate(written, job.labelColumn, numClasses, report);
        });
        return 0;
    }
}
