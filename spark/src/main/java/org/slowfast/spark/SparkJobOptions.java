package org.slowfast.spark;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options of the Spark jobs (spark-test, spark-extract): input, output, cluster (a picocli mixin). */
public final class SparkJobOptions {
    @Option(names = "--input", required = true, paramLabel = "IN",
            description = {"The videos: a Parquet or CSV table (.parquet file or directory, .csv) with a path column;"
                    + " an MMAction2 annotation file (its paths joined onto data.test.data_prefix, as data.test reads"
                    + " its ann_file); or a directory (searched recursively) or glob of videos."})
    String input;

    @Option(names = "--output", required = true, paramLabel = "OUT.parquet",
            description = "Parquet output: the input's columns plus the results and 'error' (null, or why that video"
                    + " could not be processed). Written through Spark's committer.")
    String output;

    @Option(names = "--master", paramLabel = "URL",
            description = "Spark master (default: local[*], or what spark-submit sets): local[N], spark://HOST:PORT,"
                    + " yarn, k8s://...")
    String master;

    @Option(names = "--path-column", paramLabel = "NAME", defaultValue = "path",
            description = "The column of video paths (default: ${DEFAULT-VALUE}).")
    String pathColumn;

    @Option(names = "--label-column", paramLabel = "NAME", defaultValue = "label",
            description = "The column of integer labels, if any (default: ${DEFAULT-VALUE}).")
    String labelColumn;

    @Option(names = "--partitions", paramLabel = "N",
            description = "Number of partitions (default: the input's, or Spark's default parallelism); a table is "
                    + "repartitioned, so its row order is not kept.")
    Integer partitions;

    @Option(names = "--mode", paramLabel = "error|overwrite", defaultValue = "error",
            description = "When OUT exists: fail (default) or replace it, as Spark's save modes.")
    String mode;

    @Option(names = "--conf", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Spark settings, e.g. spark.executor.memory=4g.")
    List<String> conf = new ArrayList<>();
}
