package org.slowfast.spark;

import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.hadoop.fs.FileSystem;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SaveMode;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.InferenceModel;
import org.slowfast.model.AverageClips;
import scala.jdk.javaapi.CollectionConverters;

/**
 * The driver of spark-test and spark-extract: checks the config, checkpoint and output before any task (one-line
 * errors), starts Spark, maps every partition of the input table through {@link PartitionScorer}, writes Parquet
 * through Spark's committer with one log line per finished partition, and reports the failed videos.
 */
final class SparkJob {
    private static final Logger LOG = LoggerFactory.getLogger(SparkJob.class);
    /** Spark's, Hadoop's and Parquet's INFO lines are Spark's UI's business: warnings and errors only. */
    private static final List<String> QUIET = List.of("org.apache.spark", "org.sparkproject", "org.apache.hadoop",
            "org.apache.parquet", "io.netty");

    private final String task;
    private final SparkJobOptions options;
    private final LoadedConfig cfg;
    private final Path checkpoint;
    private final SaveMode saveMode;

    /** Loads and checks everything that can be checked before Spark starts. */
    SparkJob(String task, SparkJobOptions options, Path config, Path checkpoint, List<String> cfgOptions) {
        this.task = task;
        this.options = options;
        this.cfg = LoadedConfig.load(config, cfgOptions);
        cfg.require("model", "data.test");
        InferenceModel.requireCheckpoint(checkpoint);
        this.checkpoint = checkpoint.toAbsolutePath();
        this.saveMode = switch (options.mode.toLowerCase(Locale.ROOT)) {
            case "error", "errorifexists" -> SaveMode.ErrorIfExists;
            case "overwrite" -> SaveMode.Overwrite;
            default -> throw new SlowfastException("--mode: expected error or overwrite, got '" + options.mode + "'");
        };
        if (saveMode == SaveMode.ErrorIfExists && !options.output.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:.*")
                && java.nio.file.Files.exists(Path.of(options.output))) {
            throw alreadyExists();
        }
        if (options.partitions != null && options.partitions < 1) {
            throw new SlowfastException("--partitions must be at least 1, got " + options.partitions);
        }
    }

    LoadedConfig config() {
        return cfg;
    }

    /** What a finished job wrote: its output table, read back, and the counts. */
    record Written(Dataset<Row> table, long rows, long failed) {}

    /**
     * Runs the job: {@code output} columns for each row of the input, the model's {@code averageClips} (null: the
     * config's); {@code then} runs on the written table before Spark stops.
     */
    void run(PartitionScorer.Output output, AverageClips averageClips, boolean averageViews, After then) {
        ExecutorModel model = new ExecutorModel(cfg.toYaml(), checkpoint.toString(), averageClips);
        // the checkpoint loads (strictly) here, before any task; a local master's tasks reuse this JVM's copy
        model.get();
        quietSpark();
        boolean running = SparkSession.getDefaultSession().isDefined();
        long starting = System.nanoTime();
        SparkSession spark = session();
        if (!running) {
            LOG.info(String.format(Locale.ROOT, "%s: Spark %s started in %.1f s (master %s, default parallelism %d)",
                    task, spark.version(), (System.nanoTime() - starting) / 1e9, spark.sparkContext().master(),
                    spark.sparkContext().defaultParallelism()));
        }
        try {
            checkOutput(spark);
            VideoTable table = VideoTable.read(spark, options.input, cfg, options.pathColumn, options.labelColumn,
                    options.partitions == null ? 0 : options.partitions);
            StructType schema = outputSchema(table.rows().schema(), output, averageViews);
            PartitionScorer scorer = new PartitionScorer(model, output, averageViews, table.columns(),
                    localSlots(spark.sparkContext().master()));
            Dataset<Row> results = table.rows().mapPartitions(scorer, Encoders.row(schema));
            String group = "slowfast-" + task;
            PartitionProgress progress = new PartitionProgress(task, group);
            spark.sparkContext().addSparkListener(progress);
            spark.sparkContext().setJobGroup(group, task + " " + options.input, false);
            long start = System.nanoTime();
            try {
                results.write().mode(saveMode).parquet(options.output);
            } finally {
                spark.sparkContext().clearJobGroup();
                spark.sparkContext().removeSparkListener(progress);
            }
            Dataset<Row> written = spark.read().parquet(options.output);
            Row counts = written.agg(functions.count(functions.lit(1)), functions.count("error")).first();
            long rows = counts.getLong(0);
            long failed = counts.getLong(1);
            Dataset<Row> failures = written.where(functions.col("error").isNotNull());
            System.out.printf(Locale.ROOT, "%s: wrote %d rows to %s in %.1f s: %d videos done, %d failed%n", task,
                    rows, options.output, (System.nanoTime() - start) / 1e9, rows - failed, failed);
            if (failed > 0) {
                LOG.warn("{} videos could not be processed (their rows carry the error), e.g. {}", failed,
                        failures.select("error").first().getString(0));
            }
            then.accept(new Written(written, rows, failed), table);
        } finally {
            if (!running) { // a session the caller runs (an application's, a test's) is left running
                spark.stop();
            }
        }
    }

    /** What a command does with the written table. */
    @FunctionalInterface
    interface After {
        void accept(Written written, VideoTable input);
    }

    private SparkSession session() {
        if (SparkSession.getDefaultSession().isDefined()) {
            return SparkSession.getDefaultSession().get();
        }
        SparkSession.Builder builder = SparkSession.builder().appName("slowfast " + task);
        if (options.master != null) {
            builder.master(options.master);
        } else if (System.getProperty("spark.master") == null) { // spark-submit sets it
            builder.master("local[*]");
        }
        for (String kv : options.conf) {
            int eq = kv.indexOf('=');
            if (eq <= 0) {
                throw new SlowfastException("--conf: expected KEY=VALUE, got '" + kv + "'");
            }
            builder.config(kv.substring(0, eq).strip(), kv.substring(eq + 1).strip());
        }
        return builder.getOrCreate();
    }

    private void checkOutput(SparkSession spark) {
        if (saveMode != SaveMode.ErrorIfExists) {
            return;
        }
        org.apache.hadoop.fs.Path out = new org.apache.hadoop.fs.Path(options.output);
        try {
            FileSystem fs = out.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (fs.exists(out)) {
                throw alreadyExists();
            }
        } catch (IOException e) {
            throw new SlowfastException(options.output + ": cannot check the output: " + e.getMessage());
        }
    }

    private SlowfastException alreadyExists() {
        return new SlowfastException(options.output + ": already exists (--mode overwrite replaces it)");
    }

    /** The input's columns, then the results and {@code error}; a clash with an input column is an error. */
    private StructType outputSchema(StructType input, PartitionScorer.Output output, boolean averageViews) {
        DataType floats = DataTypes.createArrayType(DataTypes.FloatType, false);
        List<String> added = new ArrayList<>();
        StructType schema = input;
        if (output == PartitionScorer.Output.SCORES) {
            schema = schema.add("scores", floats, true).add("pred_label", DataTypes.IntegerType, true);
            added.addAll(List.of("scores", "pred_label"));
        } else {
            schema = schema.add("features", averageViews ? floats : DataTypes.createArrayType(floats, false), true);
            added.add("features");
        }
        added.add("error");
        for (String name : added) {
            if (Arrays.asList(input.fieldNames()).contains(name)) {
                throw new SlowfastException(options.input + ": the input already has a column '" + name + "', which"
                        + " the output adds");
            }
        }
        return schema.add("error", DataTypes.StringType, true);
    }

    /** The task slots of a local master (local, local[N], local[*], local[N,F]); 0 for a cluster. */
    static int localSlots(String master) {
        if (master.equals("local")) {
            return 1;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("local(?:-cluster)?\\[([0-9*]+)[,\\]].*")
                .matcher(master);
        if (!m.matches() || master.startsWith("local-cluster")) {
            return 0;
        }
        return m.group(1).equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(m.group(1));
    }

    /** Spark's INFO lines off (when Logback logs: under spark-submit the cluster's logging may be in charge). */
    static void quietSpark() {
        for (String name : QUIET) {
            if (LoggerFactory.getLogger(name) instanceof ch.qos.logback.classic.Logger logger) {
                logger.setLevel(Level.WARN);
            }
        }
        // "Unable to load native-hadoop library": the JVM's codecs serve Parquet
        if (LoggerFactory.getLogger("org.apache.hadoop.util.NativeCodeLoader")
                instanceof ch.qos.logback.classic.Logger logger) {
            logger.setLevel(Level.ERROR);
        }
    }

    /** A column of the written table as score rows (in the table's order) for the evaluation. */
    static double[][] doubles(List<Row> rows, int column) {
        double[][] out = new double[rows.size()][];
        for (int i = 0; i < out.length; i++) {
            List<Object> values = CollectionConverters.asJava(rows.get(i).<Object>getSeq(column));
            out[i] = values.stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
        }
        return out;
    }

    /** Runs the report over the scored rows that have a label. */
    static void evaluate(Written written, String labelColumn, int numClasses, EvalReport report) {
        List<Row> rows = written.table().where(functions.col("error").isNull()
                .and(functions.col(labelColumn).isNotNull())).select("scores", labelColumn).collectAsList();
        double[][] scores = doubles(rows, 0);
        int[][] labels = rows.stream().map(r -> new int[] {((Number) r.get(1)).intValue()}).toArray(int[][]::new);
        if (written.failed() > 0 || rows.size() < written.rows()) {
            System.out.printf(Locale.ROOT, "evaluating the %d of %d videos that were scored and labelled%n",
                    rows.size(), written.rows());
        }
        report.run(scores, labels, numClasses, System.out, System.out);
    }
}
