package org.slowfast.spark;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast spark-extract}: {@code extract-features} as a Spark job: each row of the output Parquet is an
 * input row plus {@code features} (every view's pooled backbone features, or their mean with --average-views) and
 * {@code error}.
 */
@Command(name = "spark-extract", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract the backbone features of a table of videos as a Spark job, as extract-features does:"
                + " each view's slow and fast pathway outputs averaged over T×H×W and concatenated [slow | fast]. The"
                + " output Parquet has the input's columns plus features (array<array<float>>, views × features, in"
                + " the test pipeline's view order; array<float> with --average-views) and error."})
public final class SparkExtractCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file (its data.test pipeline is used).")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Mixin SparkJobOptions job;

    @Option(names = "--average-views", description = "Average the views into one feature vector per video.")
    boolean averageViews;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Override keys of the merged config.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() {
        new SparkJob("spark-extract", job, config, checkpoint, cfgOptions)
                .run(PartitionScorer.Output.FEATURES, null, averageViews, (written, input) -> { });
        return 0;
    }
}
