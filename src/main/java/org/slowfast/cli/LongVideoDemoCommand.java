package org.slowfast.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.runtime.Progress;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.Frame;
import org.slowfast.data.LabelMap;
import org.slowfast.data.video.VideoFrameSource;
import org.slowfast.data.video.VideoWriter;
import org.slowfast.eval.Accuracy;
import org.slowfast.eval.PredictionOverlay;
import org.slowfast.eval.WindowClassifier;
import org.slowfast.io.AtomicFiles;
import org.slowfast.runtime.Devices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast long-video-demo}: MMAction2's {@code demo/long_video_demo.py}. A window of
 * {@code clip_len × num_clips} frames slides over the video; each full window is classified and its top classes are
 * drawn on every frame until the next prediction. Writes the annotated video and a JSON of the per-window predictions.
 */
@Command(name = "long-video-demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Predict actions along a long video with a sliding window, as MMAction2's"
                + " demo/long_video_demo.py: write the video with the top predictions drawn on its frames, and a JSON"
                + " of every window's predictions (OUT with .json, or --out-json).",
            "The window holds clip_len x num_clips frames of the test pipeline's SampleFrames; after the first"
                + " window fills, one frame of every --input-step frames enters it."})
public final class LongVideoDemoCommand implements Callable<Integer> {
    static final String MESSAGE = "Preparing action recognition ...";

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Parameters(index = "2", paramLabel = "VIDEO", description = "The input video.")
    Path video;

    @Parameters(index = "3", paramLabel = "OUT.mp4", description = "The annotated video (H.264 MP4).")
    Path out;

    @Option(names = "--label-map", paramLabel = "FILE", description = "Class names, one per line (default: indices).")
    Path labelMap;

    @Option(names = "--out-json", paramLabel = "FILE",
            description = "Per-window predictions (default: OUT with .json).")
    Path outJson;

    @Option(names = "--input-step", paramLabel = "N",
            description = "After the first window, one (random) frame of every N enters the window (default:"
                    + " ${DEFAULT-VALUE}).")
    int inputStep = 1;

    @Option(names = "--stride", paramLabel = "S",
            description = "After each prediction drop S x window length frames from the window; 0 slides it by one"
                    + " frame, predicting at every entering frame (default: ${DEFAULT-VALUE}).")
    double stride = 0;

    @Option(names = "--threshold", paramLabel = "P",
            description = "Draw classes scoring at least P (default: ${DEFAULT-VALUE}).")
    double threshold = 0.01;

    @Option(names = "--top-k", paramLabel = "K",
            description = "Classes drawn and listed per window (default: ${DEFAULT-VALUE}).")
    int topK = 5;

    @Option(names = "--label-color", arity = "3", paramLabel = "C",
            description = "Text colour B G R, as MMAction2 (default: 255 255 255).")
    List<Integer> labelColor = List.of(255, 255, 255);

    @Option(names = "--msg-color", arity = "3", paramLabel = "C",
            description = "Colour B G R of the message before the first prediction (default: 128 128 128).")
    List<Integer> msgColor = List.of(128, 128, 128);

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (inputStep < 1 || stride < 0 || topK < 1) {
            throw new SlowfastException("--input-step and --top-k must be >= 1 and --stride >= 0");
        }
        if (!out.getFileName().toString().toLowerCase().endsWith(".mp4")) {
            throw new SlowfastException(out + ": the output video must be an .mp4 file");
        }
        Path json = outJson != null ? outJson
                : out.resolveSibling(out.getFileName().toString().replaceFirst("(?i)\\.mp4$", ".json"));
        LabelMap names = labelMap == null ? null : LabelMap.read(labelMap);
        PredictionOverlay overlay = new PredictionOverlay(bgr(labelColor, "--label-color"),
                bgr(msgColor, "--msg-color"));
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        try (WindowClassifier classifier = WindowClassifier.load(cfg, checkpoint, Devices.select(null, null).get(0));
                VideoFrameSource source = VideoFrameSource.open(video)) {
            if (names != null) {
                names.checkClasses(classifier.numClasses());
            }
            Run run = new Run(classifier, names, overlay, source.totalFrames());
            double fps = source.frameRate();
            try (Progress bar = Progress.start("demo", source.totalFrames(), "frames")) {
                source.readAll((index, frame) -> {
                    run.frame(index + 1, frame, fps);
                    bar.step(1);
                });
            } catch (RuntimeException e) {
                run.discard();
                throw e;
            }
            run.finish();
            ObjectNode root = new ObjectMapper().createObjectNode();
            root.put("video", video.toString());
            root.put("total_frames", source.totalFrames());
            root.put("fps", fps);
            root.put("window_length", classifier.windowLength());
            root.put("input_step", inputStep);
            root.put("stride", stride);
            root.set("windows", run.windows);
            AtomicFiles.writeString(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                    .writeValueAsString(root) + "\n");
            if (run.windows.isEmpty()) {
                System.err.printf("warning: %s has %d frames, fewer than a window (%d): no prediction%n", video,
                        source.totalFrames(), classifier.windowLength());
            }
            System.out.printf("%d windows predicted; wrote %s and %s%n", run.windows.size(), out, json);
        }
        return 0;
    }

    /** The state of one pass over the video, as long_video_demo.py's show_results loop. */
    private final class Run {
        private final WindowClassifier classifier;
        private final LabelMap names;
        private final PredictionOverlay overlay;
        private final int totalFrames;
        private final int length;
        private final int dropAfterPrediction;
        private final Random random = new Random(0);
        /** The window: 1-based frame numbers and frames. */
        private final Deque<Integer> numbers = new ArrayDeque<>();
        private final Deque<Frame> window = new ArrayDeque<>();
        private final List<Integer> backupNumbers = new ArrayList<>();
        private final List<Frame> backup = new ArrayList<>();
        private List<PredictionOverlay.Line> shown = List.of();
        private VideoWriter writer;
        final ArrayNode windows = new ObjectMapper().createArrayNode();

        Run(WindowClassifier classifier, LabelMap names, PredictionOverlay overlay, int totalFrames) {
            this.classifier = classifier;
            this.names = names;
            this.overlay = overlay;
            this.totalFrames = totalFrames;
            this.length = classifier.windowLength();
            this.dropAfterPrediction = (int) (length * stride);
        }

        void frame(int number, Frame frame, double fps) {
            backupNumbers.add(number);
            backup.add(frame);
            boolean entered = false;
            if (number == length) {
                // the first window: every frame so far
                numbers.addAll(backupNumbers);
                window.addAll(backup);
                clearBackup();
                entered = true;
            } else if ((backup.size() == inputStep && number > length) || number == totalFrames) {
                int pick = random.nextInt(backup.size());
                numbers.addLast(backupNumbers.get(pick));
                window.addLast(backup.get(pick));
                clearBackup();
                while (window.size() > length) {
                    numbers.removeFirst();
                    window.removeFirst();
                }
                entered = true;
            }
            if (entered && window.size() == length) {
                predict(number);
            }
            if (writer == null) {
                writer = new VideoWriter(out, frame.width(), frame.height(), fps, VideoWriter.Codec.H264,
                        Math.max(1, (int) Math.round(fps)), 0.25);
            }
            writer.write(overlay.draw(frame, shown, MESSAGE).rgb());
        }

        private void predict(int number) {
            float[] scores = classifier.scores(List.copyOf(window), video);
            double[] row = new double[scores.length];
            for (int c = 0; c < row.length; c++) {
                row[c] = scores[c];
            }
            ObjectNode w = windows.addObject();
            w.put("start_frame", numbers.getFirst());
            w.put("end_frame", numbers.getLast());
            w.put("shown_from_frame", number);
            ArrayNode predictions = w.putArray("predictions");
            List<PredictionOverlay.Line> lines = new ArrayList<>();
            for (int c : Accuracy.topK(row, Math.min(topK, row.length))) {
                String label = names == null ? Integer.toString(c) : names.name(c);
                predictions.addObject().put("label", label).put("class", c).put("score", scores[c]);
                if (scores[c] >= threshold) { // sorted: MMAction2 stops at the first one below
                    lines.add(PredictionOverlay.Line.of(label, scores[c]));
                }
            }
            shown = lines;
            for (int i = 0; i < dropAfterPrediction && !window.isEmpty(); i++) {
                numbers.removeFirst();
                window.removeFirst();
            }
        }

        private void clearBackup() {
            backupNumbers.clear();
            backup.clear();
        }

        void finish() {
            if (writer == null) {
                throw new SlowfastException(video + ": no frames");
            }
            writer.close();
        }

        void discard() {
            if (writer != null) {
                writer.discard();
            }
        }
    }

    private static Color bgr(List<Integer> c, String option) {
        if (c.stream().anyMatch(v -> v < 0 || v > 255)) {
            throw new SlowfastException(option + ": expected three values 0..255 (B G R), got " + c);
        }
        return new Color(c.get(2), c.get(1), c.get(0));
    }
}
