package org.slowfast.eval;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slowfast.SlowfastException;
import org.slowfast.io.AtomicFiles;
import org.slowfast.io.NumpyPickle;
import org.slowfast.io.NumpyYaml;

/**
 * The results file of MMAction2's {@code tools/test.py --out}: one array of class scores per video, in annotation
 * order (what its {@code tools/analysis/eval_metric.py} reads back). As {@code mmcv.dump}, the extension picks the
 * format: {@code .pkl}/{@code .pickle} (a pickled list of float32 numpy arrays, {@link NumpyPickle}), {@code .json}
 * (an array of arrays) or {@code .yaml}/{@code .yml} ({@link NumpyYaml}).
 */
public final class ResultsFile {
    private static final JsonFactory JSON = new JsonFactory();

    private ResultsFile() {}

    /** The formats of mmcv's file handlers. */
    private enum Format { JSON, PICKLE, YAML }

    /** Fails with one line unless the file's extension names one of mmcv's formats. */
    public static void checkFormat(Path file) {
        format(file);
    }

    /** Writes the rows atomically in the format the extension names. Values are float32, as MMAction2's. */
    public static void write(Path file, List<float[]> rows) {
        switch (format(file)) {
            case PICKLE -> NumpyPickle.writeFloat32Rows(file, rows);
            case YAML -> NumpyYaml.writeRows(file, rows);
            case JSON -> writeJson(file, rows);
        }
    }

    /** Reads a results file of any format; every problem is one line naming the file. */
    public static double[][] read(Path file) {
        return switch (format(file)) {
            case PICKLE -> rows(file, NumpyPickle.read(file));
            case YAML -> rows(file, NumpyYaml.read(file));
            case JSON -> readJson(file);
        };
    }

    private static void writeJson(Path file, List<float[]> rows) {
        AtomicFiles.write(file, out -> {
            try (JsonGenerator g = JSON.createGenerator(out, JsonEncoding.UTF8)) {
                g.writeStartArray();
                for (float[] row : rows) {
                    g.writeStartArray();
                    for (float v : row) {
                        g.writeNumber((double) v);
                    }
                    g.writeEndArray();
                }
                g.writeEndArray();
            }
        });
    }

    private static double[][] readJson(Path file) {
        List<double[]> rows = new ArrayList<>();
        try (JsonParser p = JSON.createParser(Files.newInputStream(file))) {
            expect(p.nextToken() == JsonToken.START_ARRAY, file, "expected a JSON array of per-video score arrays");
            for (JsonToken t = p.nextToken(); t != JsonToken.END_ARRAY; t = p.nextToken()) {
                int entry = rows.size();
                expect(t == JsonToken.START_ARRAY, file, "entry " + entry + " is not an array of class scores");
                List<Double> row = new ArrayList<>();
                for (JsonToken v = p.nextToken(); v != JsonToken.END_ARRAY; v = p.nextToken()) {
                    expect(v == JsonToken.VALUE_NUMBER_FLOAT || v == JsonToken.VALUE_NUMBER_INT, file,
                            "entry " + entry + " holds a non-number at line " + p.currentLocation().getLineNr());
                    row.add(p.getDoubleValue());
                }
                expect(!row.isEmpty(), file, "entry " + entry + " has no class scores");
                expect(rows.isEmpty() || rows.get(0).length == row.size(), file, "entry " + entry + " has "
                        + row.size() + " class scores but entry 0 has " + (rows.isEmpty() ? 0 : rows.get(0).length));
                rows.add(row.stream().mapToDouble(Double::doubleValue).toArray());
            }
            expect(p.nextToken() == null, file, "unexpected content after the results array");
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such results file");
        } catch (JsonParseException e) {
            throw new SlowfastException(file + ": not valid JSON at line " + e.getLocation().getLineNr() + ": "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new SlowfastException(file + ": cannot read: " + e.getMessage());
        }
        return rows.toArray(double[][]::new);
    }

    /** Fails with one line unless there is one row per video with {@code numClasses} scores each. */
    public static void checkShape(Path file, double[][] results, int numVideos, int numClasses) {
        if (results.length != numVideos) {
            throw new SlowfastException(file + ": " + results.length + " results but the test set has " + numVideos
                    + " videos");
        }
        if (results.length > 0 && results[0].length != numClasses) {
            throw new SlowfastException(file + ": " + results[0].length + " class scores per video but "
                    + "model.cls_head.num_classes is " + numClasses);
        }
    }

    /** Writes the metrics as one JSON object, in evaluation order, at full double precision. */
    public static void writeMetrics(Path file, Map<String, Double> metrics) {
        AtomicFiles.writeString(file, metricsJson(metrics) + System.lineSeparator());
    }

    /** One JSON object {@code {"top1_acc": ..., ...}} at full double precision. */
    public static String metricsJson(Map<String, Double> metrics) {
        StringBuilder sb = new StringBuilder("{");
        metrics.forEach((name, value) -> {
            if (sb.length() > 1) {
                sb.append(", ");
            }
            sb.append('"').append(name).append("\": ").append(value);
        });
        return sb.append('}').toString();
    }

    /** The default metrics file next to {@code --out}: {@code result.json} → {@code result.metrics.json}. */
    public static Path metricsPathFor(Path out) {
        String name = out.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".metrics.json");
    }

    private static Format format(Path file) {
        String name = file.getFileName().toString().toLowerCase();
        String ext = name.substring(name.lastIndexOf('.') + 1);
        return switch (ext) {
            case "pkl", "pickle" -> Format.PICKLE;
            case "json" -> Format.JSON;
            case "yaml", "yml" -> Format.YAML;
            default -> throw new SlowfastException(file + ": results files must be .pkl, .pickle, .json, .yaml or "
                    + ".yml (the extension picks the format, as mmcv.dump)");
        };
    }

    /** The score rows of a loaded pickle or YAML value: a list of equally long, non-empty lists of numbers. */
    private static double[][] rows(Path file, Object tree) {
        expect(tree instanceof List<?>, file, "expected a list of per-video score arrays");
        List<?> entries = (List<?>) tree;
        double[][] rows = new double[entries.size()][];
        for (int n = 0; n < rows.length; n++) {
            expect(entries.get(n) instanceof List<?>, file, "entry " + n + " is not an array of class scores");
            List<?> row = (List<?>) entries.get(n);
            expect(!row.isEmpty(), file, "entry " + n + " has no class scores");
            expect(n == 0 || rows[0].length == row.size(), file, "entry " + n + " has " + row.size()
                    + " class scores but entry 0 has " + (n == 0 ? 0 : rows[0].length));
            rows[n] = new double[row.size()];
            for (int c = 0; c < row.size(); c++) {
                expect(row.get(c) instanceof Number, file, "entry " + n + " holds a non-number: " + brief(row.get(c)));
                rows[n][c] = ((Number) row.get(c)).doubleValue();
            }
        }
        return rows;
    }

    /** A value as the error shows it: a container by its kind only (it may be large), anything else cut short. */
    private static String brief(Object value) {
        if (value instanceof List<?> || value instanceof Map<?, ?>) {
            return value instanceof List<?> ? "a list" : "a dict";
        }
        String text = String.valueOf(value);
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static void expect(boolean ok, Path file, String message) {
        if (!ok) {
            throw new SlowfastException(file + ": " + message);
        }
    }
}
