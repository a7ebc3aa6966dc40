package org.slowfast.api;

import ai.djl.Device;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.Frame;
import org.slowfast.data.FrameSource;
import org.slowfast.data.LabelMap;
import org.slowfast.data.Sample;
import org.slowfast.data.pipeline.FormatShape;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.VideoInit;
import org.slowfast.eval.InferenceModel;
import org.slowfast.model.AverageClips;
import org.slowfast.runtime.Devices;

/**
 * A trained SlowFast recognizer as a Java library: the one entry point of {@code slowfast demo}, {@code slowfast
 * serve} and in-process use. A video (a file or its bytes) goes through the config's test pipeline switched to video
 * decoding, as MMAction2's {@code inference_recognizer} does (a video-init step first, every decode step decoding
 * the video), then the model, whose views are combined as {@code test_cfg.average_clips} says.
 *
 * <pre>{@code
 * try (VideoClassifier model = VideoClassifier.load(config, checkpoint, Device.cpu())) {
 *     Map<String, Float> top5 = model.classify(Path.of("video.mp4")).top(5);
 * }
 * }</pre>
 *
 * <p>{@link #prepare} (decoding and the pipeline) and {@link #predict} (one forward for many clips) are the two
 * halves of {@link #classify}, for callers that batch themselves; {@link #prepare(List)} takes frames decoded
 * elsewhere.
 *
 * <p><b>Thread-safe.</b> Any number of threads may call {@link #classify}, {@link #prepare} and {@link #predict} at
 * once: decoding and the pipeline run in the calling thread, concurrently; forwards run one at a time, each with every
 * core on the CPU (or {@code --threads}). {@link #close()} must come after the last call has returned.
 */
public final class VideoClassifier implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One video through the test pipeline: its views as row-major floats of {@code shape} (V×3×T×H×W). */
    public record Clip(float[] data, long[] shape) {}

    private final LoadedConfig cfg;
    private final Path checkpoint;
    private final InferenceModel model;
    private final List<PipelineStep> pipeline;
    /** The pipeline without its video-init step, for frames decoded already. */
    private final List<PipelineStep> decodedPipeline;
    private final List<String> labels;
    private final Object forwardLock = new Object();

    private VideoClassifier(LoadedConfig cfg, Path checkpoint, InferenceModel model, List<PipelineStep> pipeline,
            List<String> labels) {
        this.cfg = cfg;
        this.checkpoint = checkpoint;
        this.model = model;
        this.pipeline = pipeline;
        this.decodedPipeline = pipeline.stream().filter(step -> !(step instanceof VideoInit)).toList();
        this.labels = labels;
    }

    /** The config's model with {@code checkpoint} on {@code device}; class indices as labels. */
    public static VideoClassifier load(Path config, Path checkpoint, Device device) {
        return builder(config, checkpoint).device(device).load();
    }

    public static Builder builder(Path config, Path checkpoint) {
        return new Builder(config, checkpoint);
    }

    /** Options of {@link VideoClassifier#load}; every one has a default. */
    public static final class Builder {
        private final Path config;
        private final Path checkpoint;
        private Device device;
        private Path labelMap;
        private List<String> cfgOptions = List.of();
        private boolean fuseConvBn;

        private Builder(Path config, Path checkpoint) {
            this.config = config;
            this.checkpoint = checkpoint;
        }

        /** The device to run on (default: the first GPU when the engine has one, else the CPU). */
        public Builder device(Device device) {
            this.device = device;
            return this;
        }

        /** Class names, one per line (default: the class indices as strings). */
        public Builder labelMap(Path labelMap) {
            this.labelMap = labelMap;
            return this;
        }

        /** {@code --cfg-options} overrides of the config ({@code key=value}). */
        public Builder cfgOptions(List<String> options) {
            this.cfgOptions = List.copyOf(options);
            return this;
        }

        /** Folds every BN into its conv (mmcv's {@code fuse_conv_bn}): faster, same scores up to rounding. */
        public Builder fuseConvBn(boolean fuse) {
            this.fuseConvBn = fuse;
            return this;
        }

        /** Loads the model; a bad config, checkpoint or label map is a one-line {@link SlowfastException}. */
        public VideoClassifier load() {
            InferenceModel.requireCheckpoint(checkpoint);
            LoadedConfig base = LoadedConfig.load(config, cfgOptions);
            base.require("model.cls_head.num_classes", "data.test.pipeline");
            List<String> options = new ArrayList<>(cfgOptions);
            options.addAll(List.of("data.test.type=VideoDataset", "data.test.data_prefix=null",
                    "data.test.start_index=0", "data.test.multi_class=false",
                    "data.test.pipeline=" + videoPipeline(base)));
            LoadedConfig cfg = LoadedConfig.load(config, options);
            List<PipelineStep> pipeline = cfg.config().data().test().base().pipeline();
            if (pipeline.stream().noneMatch(FormatShape.class::isInstance)) {
                throw base.error("data.test.pipeline", "the pipeline has no FormatShape step, so it gives no model "
                        + "input");
            }
            if (AverageClips.parse(cfg.config().model().testCfg().averageClips()) == AverageClips.NONE) {
                throw base.error("model.test_cfg.average_clips", "is None (one score row per view); classifying a "
                        + "video needs prob or score");
            }
            int classes = cfg.config().model().clsHead().numClasses();
            List<String> names = labelMap == null
                    ? IntStream.range(0, classes).mapToObj(Integer::toString).toList()
                    : LabelMap.read(labelMap).checkClasses(classes).names();
            InferenceModel model = InferenceModel.load(cfg, checkpoint,
                    device != null ? device : Devices.select(null, null).get(0), null);
            if (fuseConvBn) {
                model.fuseConvBn();
            }
            return new VideoClassifier(cfg, checkpoint, model, pipeline, names);
        }
    }

    /** The test pipeline with a video-init step first and every decode step decoding the video (JSON). */
    @SuppressWarnings("unchecked")
    private static String videoPipeline(LoadedConfig cfg) {
        Map<String, Object> data = (Map<String, Object>) cfg.tree().get("data");
        List<Map<String, Object>> steps = (List<Map<String, Object>>) ((Map<String, Object>) data.get("test"))
                .get("pipeline");
        List<Map<String, Object>> out = new ArrayList<>();
        if (steps.isEmpty() || !String.valueOf(steps.get(0).get("type")).endsWith("Init")) {
            out.add(Map.of("type", "DecordInit"));
        }
        for (Map<String, Object> step : steps) {
            String type = String.valueOf(step.get("type"));
            out.add(type.endsWith("Decode") ? Map.of("type", "DecordDecode") : new LinkedHashMap<>(step));
        }
        try {
            return JSON.writeValueAsString(out);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The scores of a video file. */
    public Prediction classify(Path video) {
        return predict(List.of(prepare(video))).get(0);
    }

    /** The scores of a video given as the bytes of its file (any container and codec FFmpeg reads). */
    public Prediction classify(byte[] video) {
        return predict(List.of(prepare(video))).get(0);
    }

    /**
     * Decodes a video file and runs the test pipeline (no model): the clip {@link #predict} takes. Throws
     * {@link InvalidVideoException} for a file that is not a video the pipeline can sample.
     */
    public Clip prepare(Path video) {
        if (!Files.isRegularFile(video)) {
            throw new SlowfastException(video + ": no such video file");
        }
        return run(pipeline, newSample(video));
    }

    /** A sample of one video as demo's one-entry dataset makes it (index 0, seed 0, epoch 0). */
    private static Sample newSample(Path video) {
        Sample sample = new Sample(0, video, ClipDataset.random(0, 0, 0, 0));
        sample.startIndex = 0;
        sample.labels = new int[] {0};
        return sample;
    }

    private static Clip run(List<PipelineStep> steps, Sample sample) {
        try {
            ClipDataset.run(steps, sample);
        } catch (SlowfastException e) {
            throw new InvalidVideoException(e.getMessage(), e);
        }
        return new Clip(sample.out, sample.inputShape);
    }

    /**
     * {@link #prepare(Path)} of a video decoded by the caller: its frames in display order. The test pipeline's
     * sampler picks among them as it would among the decoded frames of the file.
     */
    public Clip prepare(List<Frame> frames) {
        if (frames.isEmpty()) {
            throw new InvalidVideoException("the video has no frames", null);
        }
        Sample sample = newSample(Path.of("frames"));
        sample.totalFrames = frames.size();
        sample.source = new FrameSource() {
            @Override
            public int totalFrames() {
                return frames.size();
            }

            @Override
            public List<Frame> read(int[] indices) {
                return Arrays.stream(indices).mapToObj(frames::get).toList();
            }

            @Override
            public void close() {}
        };
        return run(decodedPipeline, sample);
    }

    /** {@link #prepare(Path)} of a video's bytes (held in a temporary file while it is decoded). */
    public Clip prepare(byte[] video) {
        if (video.length == 0) {
            throw new InvalidVideoException("the video is empty (0 bytes)", null);
        }
        Path file;
        try {
            file = Files.createTempFile("slowfast-video-", ".bin");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a temporary file for the video", e);
        }
        try {
            Files.write(file, video);
            return prepare(file);
        } catch (InvalidVideoException e) {
            throw new InvalidVideoException(e.getMessage().replace(file.toString(), "video"), e.getCause());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the video to " + file, e);
        } finally {
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                file.toFile().deleteOnExit();
            }
        }
    }

    /**
     * The scores of prepared clips, in order. Clips of the same shape go through the model as one batch (one
     * forward); the scores of a clip do not depend on the others in its batch (the model is in test mode).
     */
    public List<Prediction> predict(List<Clip> clips) {
        Map<List<Long>, List<Integer>> groups = new LinkedHashMap<>();
        for (int i = 0; i < clips.size(); i++) {
            List<Long> shape = Arrays.stream(clips.get(i).shape()).boxed().toList();
            groups.computeIfAbsent(shape, s -> new ArrayList<>()).add(i);
        }
        Prediction[] out = new Prediction[clips.size()];
        for (List<Integer> group : groups.values()) {
            long[] one = clips.get(group.get(0)).shape();
            int length = clips.get(group.get(0)).data().length;
            float[] batch = new float[group.size() * length];
            for (int j = 0; j < group.size(); j++) {
                System.arraycopy(clips.get(group.get(j)).data(), 0, batch, j * length, length);
            }
            long[] shape = new long[one.length + 1];
            shape[0] = group.size();
            System.arraycopy(one, 0, shape, 1, one.length);
            float[][] rows;
            synchronized (forwardLock) {
                rows = model.predict(batch, shape);
            }
            for (int j = 0; j < group.size(); j++) {
                out[group.get(j)] = new Prediction(labels, rows[j]);
            }
        }
        return List.of(out);
    }

    /** The class names, in class order. */
    public List<String> labels() {
        return labels;
    }

    /** The config as loaded (with the video test pipeline). */
    public LoadedConfig config() {
        return cfg;
    }

    public Path checkpoint() {
        return checkpoint;
    }

    @Override
    public void close() {
        model.close();
    }
}
