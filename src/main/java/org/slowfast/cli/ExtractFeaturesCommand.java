package org.slowfast.cli;

import ai.djl.Device;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.data.TextLines;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ClipLoader;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.TestRunner;
import org.slowfast.eval.Views;
import org.slowfast.io.AtomicFiles;
import org.slowfast.io.NpyWriter;
import org.slowfast.runtime.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast extract-features}: MMAction2's {@code tools/misc/clip_feature_extraction.py}
 * ({@code test_cfg.feature_extraction}): the pooled backbone features of every view of every {@code data.test} video,
 * through the same loader, devices and model as {@code test}; one {@code .npy} per video and {@code index.json}.
 */
@Command(name = "extract-features", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Extract backbone features of every data.test video, as clip_feature_extraction.py: each"
                + " view's slow and fast pathway outputs averaged over T×H×W and concatenated [slow | fast].",
            "Writes DIR/<video as in the annotation, without extension>.npy (float32, views × features, in the"
                + " test pipeline's view order; with --average-views one vector, as MMAction2 returns) and"
                + " DIR/index.json listing every video in annotation order."})
public final class ExtractFeaturesCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Option(names = "--out", required = true, paramLabel = "DIR", description = "Output directory.")
    Path out;

    @Option(names = "--video-list", paramLabel = "FILE",
            description = "Extract these videos instead of data.test's list: one path per line (relative to"
                    + " --video-root), as clip_feature_extraction.py --video-list.")
    Path videoList;

    @Option(names = "--video-root", paramLabel = "DIR", description = "The directory of --video-list's paths.")
    Path videoRoot;

    @Option(names = "--average-views", description = "Average the views into one feature vector per video.")
    boolean averageViews;

    @Option(names = "--gpus", paramLabel = "N", description = "Number of GPUs to use (the CPU when there is none).")
    Integer gpus;

    @Option(names = "--gpu-ids", arity = "1..*", paramLabel = "ID", description = "GPU ids to use.")
    List<Integer> gpuIds = new ArrayList<>();

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Override keys of the merged config.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        Path annotations = videoList == null ? null : labelled(videoList);
        List<String> options = new ArrayList<>(cfgOptions);
        if (annotations != null) {
            options.add("data.test.ann_file=" + quote(annotations.toString()));
            options.add("data.test.data_prefix="
                    + (videoRoot == null ? "null" : quote(videoRoot.toString())));
        }
        try {
            return extract(LoadedConfig.load(config, options));
        } finally {
            if (annotations != null) {
                Files.deleteIfExists(annotations);
            }
        }
    }

    /** MMAction2's fake annotation file: each line of the list with the label 0. */
    private static Path labelled(Path list) throws IOException {
        List<String> lines;
        try {
            lines = TextLines.read(list).stream().map(String::strip).filter(l -> !l.isEmpty())
                    .map(l -> l + " 0").toList();
        } catch (NoSuchFileException e) {
            throw new SlowfastException(list + ": video list not found");
        }
        Path ann = Files.createTempFile("slowfast-video-list", ".txt");
        return Files.write(ann, lines);
    }

    private int extract(LoadedConfig cfg) throws Exception {
        cfg.require("model", "data.test");
        String testType = cfg.config().data().test().base().type();
        if (videoList != null && !"VideoDataset".equals(testType)) {
            throw new SlowfastException(videoList + ": --video-list lists video files, but data.test is a " + testType
                    + "; use a config whose data.test is a VideoDataset");
        }
        List<Device> devices = Devices.select(gpus, gpuIds);
        List<InferenceModel> models = new ArrayList<>();
        int[] shape = new int[2];
        try (ClipLoader loader = ClipLoader.forSplit(cfg, "test", 0, devices.size(), null)) {
            ClipDataset dataset = loader.dataset();
            String[] files = npyFiles(dataset);
            for (Device device : devices) {
                models.add(InferenceModel.load(cfg, checkpoint, device, null));
            }
            TestRunner.run(models, loader.epoch(0), loader.size(), (model, b) -> model.features(b.imgs(), b.shape()),
                    (index, rows, label) -> {
                        float[] data = averageViews ? Views.mean(rows) : Views.concat(rows);
                        shape[0] = rows.length;
                        shape[1] = rows[0].length;
                        long[] dims = averageViews ? new long[] {shape[1]} : new long[] {shape[0], shape[1]};
                        NpyWriter.write(out.resolve(files[index]), data, dims);
                    });
            writeIndex(dataset, files, shape);
            System.out.printf("wrote the features of %d videos (%d views x %d) to %s%n", dataset.size(), shape[0],
                    shape[1], out);
        } finally {
            models.forEach(InferenceModel::close);
        }
        return 0;
    }

    /** Each video's .npy path under DIR: its annotation path without the extension; two videos may not share one. */
    private static String[] npyFiles(ClipDataset dataset) {
        String[] files = new String[dataset.size()];
        Map<String, Integer> taken = new HashMap<>();
        for (int i = 0; i < files.length; i++) {
            Path written = Path.of(dataset.writtenPath(i));
            if (written.isAbsolute()) {
                written = written.getRoot().relativize(written);
            }
            String name = written.toString().replaceFirst("\\.[^./]*$", "") + ".npy";
            Integer other = taken.putIfAbsent(name, i);
            if (other != null) {
                throw new SlowfastException(dataset.annFile() + ": entries " + (other + 1) + " and " + (i + 1)
                        + " would both write " + name);
            }
            files[i] = name;
        }
        return files;
    }

    private void writeIndex(ClipDataset dataset, String[] files, int[] shape) throws Exception {
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = json.createObjectNode();
        root.put("config", config.toString());
        root.put("checkpoint", checkpoint.toString());
        root.put("feature", "per view: slow and fast pathway outputs averaged over T×H×W, concatenated [slow | fast]"
                + (averageViews ? ", averaged over the views" : ""));
        ArrayNode perVideo = root.putArray("shape");
        if (!averageViews) {
            perVideo.add(shape[0]);
        }
        perVideo.add(shape[1]);
        ArrayNode videos = root.putArray("videos");
        int[] labels = dataset.labels();
        for (int i = 0; i < files.length; i++) {
            videos.addObject().put("video", dataset.writtenPath(i)).put("label", labels[i]).put("file", files[i]);
        }
        AtomicFiles.writeString(out.resolve("index.json"), json.writeValueAsString(root) + "\n");
    }

    /** A string as a --cfg-options value (a single-quoted YAML scalar). */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
