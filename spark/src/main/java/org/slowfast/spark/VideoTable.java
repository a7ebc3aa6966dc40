package org.slowfast.spark;

import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocatedFileStatus;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.IntegralType;
import org.apache.spark.sql.types.StructType;
import org.slowfast.SlowfastException;
import org.slowfast.config.DatasetConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ClipDataset.Entry;

/**
 * The videos of a job as a table, one row per video: a Parquet or CSV table with a path column (and optionally a
 * label column, and total_frames/offset columns for a RawframeDataset config); an MMAction2 annotation file, read
 * as data.test reads its ann_file (paths joined onto data.test.data_prefix); or a directory or glob of videos.
 *
 * @param rows    the table (its own columns, which the output keeps)
 * @param columns where each row's video is
 * @param labels  whether the rows have labels (--eval needs them)
 */
public record VideoTable(Dataset<Row> rows, Columns columns, boolean labels) {
    /** The file extensions that a directory or glob of videos takes. */
    static final Set<String> VIDEO_EXTENSIONS = Set.of("mp4", "avi", "mkv", "webm", "mov", "m4v", "flv", "mpeg",
            "mpg", "wmv", "3gp", "ts");

    /**
     * Where a row's video is: its path column (a relative path joined onto {@code prefix}, an absolute directory:
     * the annotation file's data_prefix, else the driver's working directory, so that executors with other working
     * directories find the same files), label, total_frames and offset columns (-1: none).
     */
    public record Columns(int path, int label, int totalFrames, int offset, String prefix) implements Serializable {
        /** Row {@code r}'s annotation entry; a row that names no usable video fails with its one-line reason. */
        Entry entry(Row row, int r, Integer numClasses) {
            if (row.isNullAt(path) || row.get(path).toString().isBlank()) {
                throw new SlowfastException("no video path");
            }
            String file = row.get(path).toString();
            int labelValue = label < 0 || row.isNullAt(label) ? 0 : ((Number) row.get(label)).intValue();
            if (labelValue < 0 || (numClasses != null && labelValue >= numClasses)) {
                throw new SlowfastException(file + ": label " + labelValue + " is outside [0, " + numClasses + ")");
            }
            int total = totalFrames < 0 ? 0 : integer(row, totalFrames, file, "total_frames");
            int from = offset < 0 ? 0 : integer(row, offset, file, "offset");
            return new Entry(Path.of(prefix).resolve(file), total, from, new int[] {labelValue}, r + 1);
        }

        private static int integer(Row row, int column, String file, String what) {
            if (row.isNullAt(column)) {
                throw new SlowfastException(file + ": no " + what);
            }
            return ((Number) row.get(column)).intValue();
        }
    }

    /**
     * Reads {@code input}; {@code partitions} > 0 sets the partition count (a table is then repartitioned, so its
     * row order is not kept).
     */
    public static VideoTable read(SparkSession spark, String input, LoadedConfig cfg, String pathColumn,
            String labelColumn, int partitions) {
        DatasetConfig test = cfg.config().data().test().base();
        boolean rawframes = "RawframeDataset".equals(test.type());
        String lower = input.toLowerCase(Locale.ROOT);
        boolean glob = input.matches(".*[*?\\[{].*");
        Path local = glob || input.matches("^[a-zA-Z][a-zA-Z0-9+.-]+:/.*") ? null : Path.of(input);
        if (lower.endsWith(".parquet") || lower.endsWith(".csv") || (local != null && Files.isDirectory(local)
                && hasTableFiles(local))) {
            Dataset<Row> table = lower.endsWith(".csv") ? spark.read().option("header", "true")
                    .option("inferSchema", "true").csv(input) : spark.read().parquet(input);
            if (partitions > 0) {
                table = table.repartition(partitions);
            }
            return ofTable(input, table, pathColumn, labelColumn, rawframes, workingDirectory());
        }
        if (local != null && Files.isRegularFile(local)) {
            return ofAnnotations(spark, local, cfg, pathColumn, labelColumn, rawframes, partitions);
        }
        List<Row> videos = new ArrayList<>();
        for (String video : videos(spark, input, glob)) {
            videos.add(RowFactory.create(video));
        }
        StructType schema = new StructType().add(pathColumn, DataTypes.StringType, false);
        if (rawframes) {
            throw new SlowfastException(input + ": data.test is a RawframeDataset, so the input must list total_frames"
                    + " (an annotation file or a table with a total_frames column), not videos");
        }
        return ofTable(input, create(spark, videos, schema, partitions), pathColumn, null, false,
                workingDirectory());
    }

    private static VideoTable ofTable(String input, Dataset<Row> table, String pathColumn, String labelColumn,
            boolean rawframes, String prefix) {
        StructType schema = table.schema();
        List<String> names = Arrays.asList(schema.fieldNames());
        if (!names.contains(pathColumn)) {
            throw new SlowfastException(input + ": no column '" + pathColumn + "' (--path-column); the columns are "
                    + String.join(", ", names));
        }
        int label = labelColumn == null ? -1 : names.indexOf(labelColumn);
        if (label >= 0 && !(schema.fields()[label].dataType() instanceof IntegralType)) {
            throw new SlowfastException(input + ": column '" + labelColumn + "' (--label-column) holds "
                    + schema.fields()[label].dataType().simpleString() + ", not integer labels");
        }
        int total = rawframes ? names.indexOf("total_frames") : -1;
        if (rawframes && total < 0) {
            throw new SlowfastException(input + ": data.test is a RawframeDataset, so the table needs a total_frames "
                    + "column; the columns are " + String.join(", ", names));
        }
        int offset = rawframes ? names.indexOf("offset") : -1;
        return new VideoTable(table, new Columns(names.indexOf(pathColumn), label, total, offset, prefix), label >= 0);
    }

    /** An annotation file as data.test would read it as its ann_file: path, [offset, total_frames,] label columns. */
    private static VideoTable ofAnnotations(SparkSession spark, Path file, LoadedConfig cfg, String pathColumn,
            String labelColumn, boolean rawframes, int partitions) {
        DatasetConfig test = cfg.config().data().test().base();
        DatasetConfig withFile = test.withAnnFile(file.toString());
        ClipDataset dataset = ClipDataset.of(withFile, true, cfg.config().model().clsHead().numClasses());
        if (dataset.multiClass()) {
            throw new SlowfastException(file + ": multi_class annotations are not supported by the Spark job (one "
                    + "label per row); use test");
        }
        StructType schema = new StructType().add(pathColumn, DataTypes.StringType, false);
        if (rawframes) {
            schema = schema.add("offset", DataTypes.IntegerType, false).add("total_frames", DataTypes.IntegerType,
                    false);
        }
        schema = schema.add(labelColumn, DataTypes.IntegerType, false);
        List<Row> rows = new ArrayList<>(dataset.size());
        for (int i = 0; i < dataset.size(); i++) {
            Entry e = dataset.entry(i);
            rows.add(rawframes ? RowFactory.create(dataset.writtenPath(i), e.offset(), e.totalFrames(), e.label())
                    : RowFactory.create(dataset.writtenPath(i), e.label()));
        }
        String prefix = test.dataPrefix() == null ? workingDirectory()
                : Path.of(test.dataPrefix()).toAbsolutePath().toString();
        return ofTable(file.toString(), create(spark, rows, schema, partitions), pathColumn, labelColumn, rawframes,
                prefix);
    }

    private static Dataset<Row> create(SparkSession spark, List<Row> rows, StructType schema, int partitions) {
        int slices = partitions > 0 ? partitions
                : Math.max(1, Math.min(rows.size(), spark.sparkContext().defaultParallelism()));
        return spark.createDataFrame(new org.apache.spark.api.java.JavaSparkContext(spark.sparkContext())
                .parallelize(rows, slices), schema);
    }

    private static String workingDirectory() {
        return Path.of("").toAbsolutePath().toString();
    }

    private static boolean hasTableFiles(Path dir) {
        try (var files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).anyMatch(n -> n.endsWith(".parquet")
                    || n.equals("_SUCCESS"));
        } catch (IOException e) {
            throw new SlowfastException(dir + ": cannot list: " + e.getMessage());
        }
    }

    /** The videos of a directory (recursively) or a glob, by extension, sorted; local files as plain paths. */
    private static List<String> videos(SparkSession spark, String input, boolean glob) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(input);
        List<String> out = new ArrayList<>();
        try {
            FileSystem fs = path.getFileSystem(spark.sparkContext().hadoopConfiguration());
            if (glob) {
                FileStatus[] found = fs.globStatus(path);
                for (FileStatus f : found == null ? new FileStatus[0] : found) {
                    if (f.isFile()) {
                        out.add(name(f.getPath(), input));
                    }
                }
            } else if (fs.exists(path)) {
                RemoteIterator<LocatedFileStatus> files = fs.listFiles(path, true);
                while (files.hasNext()) {
                    org.apache.hadoop.fs.Path f = files.next().getPath();
                    String ext = f.getName().substring(f.getName().lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
                    if (VIDEO_EXTENSIONS.contains(ext)) {
                        out.add(name(f, input));
                    }
                }
            } else {
                throw new SlowfastException(input + ": no such file or directory");
            }
        } catch (IOException e) {
            throw new SlowfastException(input + ": cannot list: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new SlowfastException(input + ": no videos (" + (glob ? "the glob matches no file"
                    : "no file ending in ." + String.join(", .", VIDEO_EXTENSIONS.stream().sorted().toList())) + ")");
        }
        out.sort(null);
        return out;
    }

    /** A local file as a plain path (as the input named it: relative stays relative); others as their URI. */
    private static String name(org.apache.hadoop.fs.Path file, String input) {
        if (!"file".equals(file.toUri().getScheme())) {
            return file.toString();
        }
        Path p = Path.of(file.toUri().getPath());
        Path cwd = Path.of("").toAbsolutePath();
        return Path.of(input).isAbsolute() || !p.startsWith(cwd) ? p.toString() : cwd.relativize(p).toString();
    }
}
