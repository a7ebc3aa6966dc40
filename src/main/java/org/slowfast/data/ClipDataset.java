package org.slowfast.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slowfast.SlowfastException;
import org.slowfast.config.Config;
import org.slowfast.config.DatasetConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.pipeline.PipelineStep;

/**
 * A dataset of clips, as MMAction2's BaseDataset: the parsed annotation list and the pipeline that turns one entry
 * into a formatted clip. {@link RawframeDataset} and {@link VideoDataset} parse their annotation lines.
 */
public abstract class ClipDataset {
    /** One annotation entry; {@code line} is its 1-based line in the annotation file (0 for JSON). */
    public record Entry(Path file, int totalFrames, int offset, int[] labels, int line) {
        public int label() {
            return labels[0];
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    protected final DatasetConfig cfg;
    protected final Path annFile;
    protected final Integer numClasses;
    private final boolean testMode;
    private final List<Entry> entries;

    protected ClipDataset(DatasetConfig cfg, boolean testMode, Integer numClasses) {
        this(cfg, testMode, numClasses, null);
    }

    /** A dataset of the given entries ({@code null}: those of its annotation file), checked as the file's would be. */
    protected ClipDataset(DatasetConfig cfg, boolean testMode, Integer numClasses, List<Entry> given) {
        if (given == null && cfg.annFile() == null) {
            throw new SlowfastException(cfg.type() + ": ann_file is not set");
        }
        if (cfg.pipeline() == null || cfg.pipeline().isEmpty()) {
            throw new SlowfastException(cfg.type() + ": pipeline is empty");
        }
        if (!"RGB".equals(cfg.modality())) {
            throw new SlowfastException(cfg.annFile() + ": modality '" + cfg.modality() + "' is not supported (RGB)");
        }
        if (cfg.multiClass() && cfg.numClasses() == null) {
            throw new SlowfastException(cfg.annFile() + ": multi_class needs num_classes");
        }
        this.cfg = cfg;
        this.annFile = cfg.annFile() == null ? null : Path.of(cfg.annFile());
        this.testMode = testMode;
        this.numClasses = cfg.multiClass() ? cfg.numClasses() : numClasses;
        this.entries = given != null ? given.stream().map(this::checked).toList()
                : annFile.toString().endsWith(".json") ? readJson() : readLines();
        if (entries.isEmpty()) {
            throw new SlowfastException(annFile + ": no annotations");
        }
    }

    /** {@code inner}'s entries repeated {@code times} times, read and sampled as {@code inner} does. */
    protected ClipDataset(ClipDataset inner, int times) {
        this.cfg = inner.cfg;
        this.annFile = inner.annFile;
        this.testMode = inner.testMode;
        this.numClasses = inner.numClasses;
        List<Entry> repeated = new ArrayList<>(inner.entries.size() * times);
        for (int t = 0; t < times; t++) {
            repeated.addAll(inner.entries);
        }
        this.entries = List.copyOf(repeated);
    }

    /**
     * The dataset of a config's split ("train", "val" or "test" → data.train/val/test). Val and test run in test
     * mode, as tools/train.py and tools/test.py build them; labels are checked against the head's num_classes.
     */
    public static ClipDataset build(LoadedConfig loaded, String split) {
        Config c = loaded.config();
        if (!List.of("train", "val", "test").contains(split)) {
            throw new SlowfastException("unknown split '" + split + "' (train, val, test)");
        }
        DatasetConfig d = c.data() == null ? null : c.data().dataset(split);
        if (d == null) {
            throw new SlowfastException(loaded.file() + ": missing required key 'data." + split + "'");
        }
        String key = d.baseKey("data." + split);
        if (d.base().annFile() == null) {
            throw loaded.error(key, "ann_file is not set");
        }
        if (d.base().pipeline() == null || d.base().pipeline().isEmpty()) {
            throw loaded.error(key + ".pipeline", "the pipeline is empty");
        }
        Integer classes = c.model() != null && c.model().clsHead() != null ? c.model().clsHead().numClasses() : null;
        return of(d, !"train".equals(split) || d.testMode(), classes);
    }

    /** A dataset from its dict; {@code numClasses} (nullable) bounds the labels. */
    public static ClipDataset of(DatasetConfig cfg, boolean testMode, Integer numClasses) {
        String type = cfg.type() == null ? "" : cfg.type();
        return switch (type) {
            case "RawframeDataset" -> new RawframeDataset(cfg, testMode, numClasses);
            case "VideoDataset" -> new VideoDataset(cfg, testMode, numClasses);
            case DatasetConfig.REPEAT_DATASET -> RepeatDataset.wrap(cfg, testMode, numClasses);
            default -> throw new SlowfastException("dataset type '" + type + "' is not supported ("
                    + String.join(", ", DatasetConfig.CLIP_TYPES) + ", " + DatasetConfig.REPEAT_DATASET + ")");
        };
    }

    /**
     * A test-mode dataset of {@code entries} (files already joined onto any data_prefix) with {@code cfg}'s type and
     * pipeline, for videos that come from elsewhere than an annotation file (a Spark table's rows). A label outside
     * {@code [0, numClasses)} is an {@link IllegalArgumentException}.
     */
    public static ClipDataset ofEntries(DatasetConfig cfg, Integer numClasses, List<Entry> entries) {
        String type = cfg.type() == null ? "" : cfg.type();
        return switch (type) {
            case "RawframeDataset" -> new RawframeDataset(cfg, true, numClasses, entries);
            case "VideoDataset" -> new VideoDataset(cfg, true, numClasses, entries);
            default -> throw new SlowfastException("dataset type '" + type + "' is not supported here ("
                    + String.join(", ", DatasetConfig.CLIP_TYPES) + ")");
        };
    }

    /** Parses one whitespace-split annotation line; problems are {@link IllegalArgumentException}s. */
    protected abstract Entry parse(String[] tokens, int line);

    /** Parses one entry of a JSON annotation list. */
    protected abstract Entry parse(JsonNode node);

    /** Sets the dataset's fields of a fresh sample (start_index, filename_tmpl, ...). */
    protected void prepare(Sample sample, Entry entry) {
        sample.totalFrames = entry.totalFrames();
        sample.offset = entry.offset();
        sample.startIndex = cfg.startIndex();
        sample.modality = cfg.modality();
        sample.labels = entry.labels();
        sample.label = entry.label();
    }

    public int size() {
        return entries.size();
    }

    public Entry entry(int index) {
        return entries.get(index);
    }

    /** Entry {@code index}'s file as its annotation writes it: relative to data_prefix when it lies under it. */
    public String writtenPath(int index) {
        Path file = entries.get(index).file();
        if (cfg.dataPrefix() != null && file.startsWith(Path.of(cfg.dataPrefix()))) {
            return Path.of(cfg.dataPrefix()).relativize(file).toString();
        }
        return file.toString();
    }

    /** The first label of each entry, in annotation order. */
    public int[] labels() {
        return entries.stream().mapToInt(Entry::label).toArray();
    }

    /** Every label of each entry (several for multi_class), in annotation order. */
    public int[][] labelSets() {
        return entries.stream().map(Entry::labels).toArray(int[][]::new);
    }

    /** {@code num_classes} of a multi_class dataset, else the head's (null when neither is known). */
    public Integer numClasses() {
        return numClasses;
    }

    public boolean testMode() {
        return testMode;
    }

    public boolean multiClass() {
        return cfg.multiClass();
    }

    public DatasetConfig config() {
        return cfg;
    }

    public Path annFile() {
        return annFile;
    }

    /** The generator of one sample's random steps, from (seed, epoch, index, attempt). */
    public static Random random(long seed, int epoch, int index, int attempt) {
        long h = mix(seed);
        h = mix(h ^ epoch);
        h = mix(h ^ index);
        h = mix(h ^ attempt);
        return new Random(h);
    }

    private static long mix(long z) {
        z += 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A sample of entry {@code index} with the dataset's fields set, before any pipeline step. */
    public Sample newSample(int index, Random rng) {
        Entry entry = entries.get(index);
        Sample sample = new Sample(index, entry.file(), rng);
        prepare(sample, entry);
        return sample;
    }

    /** Runs the pipeline on entry {@code index}; the clip's floats land in a new array. */
    public Sample sample(int index, long seed, int epoch) {
        return sample(index, random(seed, epoch, index, 0), null, 0);
    }

    /**
     * Runs the pipeline on entry {@code index} with the given generator; FormatShape writes the clip into
     * {@code out[outOffset..]} (a new array when {@code out} is null). Without FormatShape the sample keeps its
     * frames ({@code imgs}) and has no {@code inputShape}. Failures are one-line
     * {@link SlowfastException}s naming the file.
     */
    public Sample sample(int index, Random rng, float[] out, int outOffset) {
        Sample sample = newSample(index, rng);
        sample.out = out;
        sample.outOffset = outOffset;
        return run(cfg.pipeline(), sample);
    }

    /**
     * Runs {@code steps} on a prepared sample and closes its video source; failures are one-line
     * {@link SlowfastException}s naming the sample's file.
     */
    public static Sample run(List<PipelineStep> steps, Sample sample) {
        try {
            for (PipelineStep step : steps) {
                step.apply(sample);
            }
        } catch (SlowfastException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new SlowfastException(sample.file + ": " + Images.oneLine(e), e);
        } finally {
            if (sample.source != null) {
                sample.source.close();
                sample.source = null;
            }
        }
        return sample;
    }

    private List<Entry> readLines() {
        List<String> lines;
        try {
            lines = TextLines.read(annFile);
        } catch (NoSuchFileException e) {
            throw new SlowfastException(annFile + ": annotation file not found");
        } catch (IOException e) {
            throw new SlowfastException(annFile + ": cannot read: " + Images.oneLine(e));
        }
        List<Entry> out = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty()) {
                continue;
            }
            try {
                out.add(checked(parse(line.split("\\s+"), i + 1)));
            } catch (IllegalArgumentException e) {
                throw new SlowfastException(annFile + ":" + (i + 1) + ": " + e.getMessage() + ": '" + line + "'");
            }
        }
        return out;
    }

    private List<Entry> readJson() {
        JsonNode root;
        try {
            root = JSON.readTree(annFile.toFile());
        } catch (IOException e) {
            throw new SlowfastException(annFile + ": cannot read JSON annotations: " + Images.oneLine(e));
        }
        if (!root.isArray()) {
            throw new SlowfastException(annFile + ": JSON annotations must be a list of dicts");
        }
        List<Entry> out = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                out.add(checked(parse(root.get(i))));
            } catch (IllegalArgumentException e) {
                throw new SlowfastException(annFile + ": entry " + i + ": " + e.getMessage());
            }
        }
        return out;
    }

    private Entry checked(Entry e) {
        if (!cfg.multiClass() && e.labels().length != 1) {
            throw new IllegalArgumentException("expected one label, got " + e.labels().length
                    + " (multi_class is off)");
        }
        for (int label : e.labels()) {
            if (label < 0 || (numClasses != null && label >= numClasses)) {
                throw new IllegalArgumentException("label " + label + " is outside [0, " + numClasses + ")");
            }
        }
        return e;
    }

    protected Path resolve(String file) {
        return cfg.dataPrefix() == null ? Path.of(file) : Path.of(cfg.dataPrefix()).resolve(file);
    }

    protected static int integer(String token, String what) {
        try {
            return Integer.parseInt(token);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " '" + token + "' is not an integer");
        }
    }

    protected static int[] labels(String[] tokens, int from) {
        if (from >= tokens.length) {
            throw new IllegalArgumentException("missing label");
        }
        int[] labels = new int[tokens.length - from];
        for (int i = from; i < tokens.length; i++) {
            labels[i - from] = integer(tokens[i], "label");
        }
        return labels;
    }

    protected static int[] labels(JsonNode node) {
        JsonNode label = node.get("label");
        if (label == null) {
            throw new IllegalArgumentException("missing 'label'");
        }
        if (label.isInt()) {
            return new int[] {label.asInt()};
        }
        int[] out = new int[label.size()];
        for (int i = 0; i < out.length; i++) {
            if (!label.get(i).isInt()) {
                throw new IllegalArgumentException("label " + label.get(i) + " is not an integer");
            }
            out[i] = label.get(i).asInt();
        }
        return out;
    }
}
