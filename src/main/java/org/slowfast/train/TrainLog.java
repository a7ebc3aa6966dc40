package org.slowfast.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slowfast.runtime.WarningRelay;

/**
 * mmcv's TextLoggerHook: {@code <work_dir>/<timestamp>.log} (logger-formatted text lines) and
 * {@code <timestamp>.log.json} (line 1: run meta; then one object per train interval and per validation). Train
 * values are sample-weighted means over the interval; JSON floats are rounded to 5 decimals. {@code memory} is the
 * peak GPU memory in MB as in mmcv, and on the CPU the process's peak resident set size in MB. While the log is
 * open, every SLF4J warning of the process goes into the text file as {@code ... - mmaction - WARNING - ...}
 * ({@link WarningRelay}); the console gets them from the logging configuration.
 */
public final class TrainLog implements AutoCloseable {
    public static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMdd_HHmmss");
    private static final DateTimeFormatter LINE_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path textFile;
    private final Path jsonFile;
    private final BufferedWriter text;
    private final BufferedWriter json;
    private final PrintStream console;
    private final boolean echoTrainLines;
    private final List<double[]> buffer = new ArrayList<>();
    private final WarningRelay.Attachment relay;

    /**
     * Creates the two log files of {@code timestamp}. Lines are echoed to {@code console} if not null, train lines
     * only with {@code echoTrainLines} (a progress bar shows them otherwise).
     */
    public TrainLog(Path workDir, String timestamp, PrintStream console, boolean echoTrainLines) {
        this.echoTrainLines = echoTrainLines;
        this.textFile = workDir.resolve(timestamp + ".log");
        this.jsonFile = workDir.resolve(timestamp + ".log.json");
        this.console = console;
        try {
            text = Files.newBufferedWriter(textFile, StandardCharsets.UTF_8);
            json = Files.newBufferedWriter(jsonFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        relay = WarningRelay.attach((level, millis, message) -> write(text, line(
                LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), ZoneId.systemDefault()), level, message)));
    }

    /** A log that writes nothing: the ranks other than 0 of a multi-process run. */
    public static TrainLog discarding() {
        return new TrainLog();
    }

    private TrainLog() {
        this.echoTrainLines = false;
        this.textFile = null;
        this.jsonFile = null;
        this.console = null;
        this.text = new BufferedWriter(java.io.Writer.nullWriter());
        this.json = new BufferedWriter(java.io.Writer.nullWriter());
        this.relay = () -> { };
    }

    public Path jsonFile() {
        return jsonFile;
    }

    public Path textFile() {
        return textFile;
    }

    /** One "time - mmaction - INFO - message" text line (multi-line messages keep their newlines). */
    public void info(String message) {
        info(message, true);
    }

    private void info(String message, boolean echo) {
        String line = line(LocalDateTime.now(), "INFO", message);
        write(text, line);
        if (console != null && echo) {
            console.println(line);
        }
    }

    private static String line(LocalDateTime time, String level, String message) {
        return time.format(LINE_TIME) + " - mmaction - " + level + " - " + message;
    }

    /** A stream whose lines become {@link #info} lines (for the evaluator's "Evaluating ..." output). */
    public PrintStream infoStream() {
        return new PrintStream(new java.io.ByteArrayOutputStream() {
            @Override
            public void flush() {
                String s = toString(StandardCharsets.UTF_8);
                reset();
                if (!s.isBlank()) {
                    info(s.stripTrailing());
                }
            }
        }, true, StandardCharsets.UTF_8);
    }

    /** The first JSON line: env_info, seed, config_name, work_dir (and hook_msgs with validation). */
    public void meta(Map<String, Object> meta) {
        writeJson(meta);
    }

    /** Adds one iteration's values to the interval buffer: time, data_time, top1, top5, loss, grad_norm. */
    public void update(int samples, double time, double dataTime, DataParallel.StepResult r) {
        buffer.add(new double[] {samples, time, dataTime, r.top1(), r.top5(), r.loss(), r.gradNorm()});
    }

    /**
     * Writes the train line of the buffered interval and clears the buffer.
     *
     * @param epoch 1-based epoch
     * @param iter 1-based iteration within the epoch
     * @param memoryMb peak memory in MB, or -1 to omit it
     */
    public void train(int epoch, int iter, int epochLength, double lr, long memoryMb, double etaSeconds) {
        double n = 0;
        double[] sum = new double[7];
        for (double[] v : buffer) {
            n += v[0];
            for (int k = 1; k < v.length; k++) {
                sum[k] += v[k] * v[0];
            }
        }
        buffer.clear();
        double time = sum[1] / n;
        double dataTime = sum[2] / n;
        LinkedHashMap<String, Double> vars = new LinkedHashMap<>();
        vars.put("top1_acc", sum[3] / n);
        vars.put("top5_acc", sum[4] / n);
        vars.put("loss_cls", sum[5] / n);
        vars.put("loss", sum[5] / n);
        if (!Double.isNaN(sum[6])) {
            vars.put("grad_norm", sum[6] / n);
        }
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "Epoch [%d][%d/%d]\tlr: %.3e, eta: %s, "
                + "time: %.3f, data_time: %.3f, ", epoch, iter, epochLength, lr, eta(etaSeconds), time, dataTime));
        if (memoryMb >= 0) {
            line.append("memory: ").append(memoryMb).append(", ");
        }
        List<String> items = new ArrayList<>();
        vars.forEach((k, v) -> items.add(String.format(Locale.ROOT, "%s: %.4f", k, v)));
        info(line + String.join(", ", items), echoTrainLines);
        LinkedHashMap<String, Object> obj = new LinkedHashMap<>();
        obj.put("mode", "train");
        obj.put("epoch", epoch);
        obj.put("iter", iter);
        obj.put("lr", round(lr));
        if (memoryMb >= 0) {
            obj.put("memory", memoryMb);
        }
        obj.put("data_time", round(dataTime));
        vars.forEach((k, v) -> obj.put(k, round(v)));
        obj.put("time", round(time));
        writeJson(obj);
    }

    /** The validation line after epoch {@code epoch} (1-based); {@code iter} is the val loader length. */
    public void val(int epoch, int iter, double lr, Map<String, Double> metrics) {
        List<String> items = new ArrayList<>();
        metrics.forEach((k, v) -> items.add(String.format(Locale.ROOT, "%s: %.4f", k, v)));
        info(String.format(Locale.ROOT, "Epoch(val) [%d][%d]\t", epoch, iter) + String.join(", ", items));
        LinkedHashMap<String, Object> obj = new LinkedHashMap<>();
        obj.put("mode", "val");
        obj.put("epoch", epoch);
        obj.put("iter", iter);
        obj.put("lr", round(lr));
        metrics.forEach((k, v) -> obj.put(k, round(v)));
        writeJson(obj);
    }

    static String eta(double seconds) {
        long s = (long) seconds;
        long days = s / 86400;
        String hms = String.format(Locale.ROOT, "%d:%02d:%02d", (s % 86400) / 3600, (s % 3600) / 60, s % 60);
        return days > 0 ? days + (days == 1 ? " day, " : " days, ") + hms : hms;
    }

    static double round(double v) {
        return Double.isFinite(v) ? new BigDecimal(v).setScale(5, RoundingMode.HALF_EVEN).doubleValue() : v;
    }

    private void writeJson(Map<String, Object> obj) {
        try {
            write(json, JSON.writeValueAsString(obj));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static synchronized void write(BufferedWriter w, String line) {
        try {
            w.write(line);
            w.newLine();
            w.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            relay.close();
            text.close();
            json.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
