package org.slowfast.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipLoader;
import org.slowfast.data.LabelMap;
import org.slowfast.eval.Accuracy;
import org.slowfast.runtime.Devices;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.TestRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast demo}: MMAction2's {@code demo/demo.py}. Classifies one video file with the config's test pipeline,
 * switched to video decoding as MMAction2's {@code inference_recognizer} does (a video-init step first, every
 * decode step decoding the video), and prints the top-k classes with their scores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify one video with the test pipeline and print the top-k labels with their scores.")
public final class DemoCommand implements Callable<Integer> {
    private static final ObjectMapper JSON = new ObjectMapper();

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Parameters(index = "2", paramLabel = "VIDEO", description = "The video file to classify.")
    Path video;

    @Option(names = "--label-map", paramLabel = "FILE", description = "Class names, one per line.")
    Path labelMap;

    @Option(names = "--top-k", defaultValue = "5", description = "How many classes to print (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws IOException {
        if (!Files.isRegularFile(video)) {
            throw new SlowfastException(video + ": no such video file");
        }
        if (topK < 1) {
            throw new SlowfastException("--top-k must be at least 1, got " + topK);
        }
        LoadedConfig base = LoadedConfig.load(config, cfgOptions);
        base.require("model.cls_head.num_classes", "data.test.pipeline");
        LabelMap names = labelMap == null ? null
                : LabelMap.read(labelMap).checkClasses(base.config().model().clsHead().numClasses());
        Path dir = Files.createTempDirectory("slowfast-demo");
        try {
            // a one-entry VideoDataset; a JSON list keeps the user's path as given (spaces included), so errors
            // name it
            Path ann = dir.resolve("demo_list.json");
            Files.writeString(ann, JSON.writeValueAsString(List.of(Map.of("filename", video.toString(), "label", 0))));
            List<String> options = new ArrayList<>(cfgOptions);
            options.addAll(List.of("data.test.type=VideoDataset", "data.test.ann_file=" + quote(ann.toString()),
                    "data.test.data_prefix=null", "data.test.start_index=0",
                    "data.test.multi_class=false", "data.test_dataloader={videos_per_gpu: 1, workers_per_gpu: 0}",
                    "data.test.pipeline=" + videoPipeline(base)));
            LoadedConfig cfg = LoadedConfig.load(config, options);
            float[] scores;
            try (InferenceModel model = InferenceModel.load(cfg, checkpoint, Devices.select(null, null).get(0), null);
                    ClipLoader loader = ClipLoader.forSplit(cfg, "test", 0, 1, null)) {
                scores = TestRunner.run(List.of(model), loader.epoch(0), 1).flat()[0];
            }
            double[] row = new double[scores.length];
            for (int c = 0; c < row.length; c++) {
                row[c] = scores[c];
            }
            System.out.println("The top-" + topK + " labels with corresponding scores are:");
            for (int c : Accuracy.topK(row, topK)) {
                String label = names == null ? Integer.toString(c) : names.name(c);
                System.out.println(label + ": " + scores[c]);
            }
        } finally {
            try (var files = Files.list(dir)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(dir);
        }
        return 0;
    }

    /** The test pipeline with a video-init step first and every decode step decoding the video (JSON). */
    @SuppressWarnings("unchecked")
    private static String videoPipeline(LoadedConfig cfg) throws JsonProcessingException {
        Map<String, Object> data = (Map<String, Object>) cfg.tree().get("data");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) ((Map<String, Object>) data.get("test"))
                .get("pipeline");
        List<Map<String, Object>> out = new ArrayList<>();
        if (steps.isEmpty() || !String.valueOf(steps.get(0).get("type")).endsWith("Init")) {
            out.add(Map.of("type", "DecordInit"));
        }
        for (Map<String, Object> step : steps) {
            String type = String.valueOf(step.get("type"));
            if (type.endsWith("Decode")) {
                out.add(Map.of("type", "DecordDecode"));
            } else {
                out.add(new LinkedHashMap<>(step));
            }
        }
        return JSON.writeValueAsString(out);
    }

    /** A string as a --cfg-options value (a single-quoted YAML scalar). */
    static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }
}
