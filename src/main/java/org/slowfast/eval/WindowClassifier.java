package org.slowfast.eval;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.slowfast.SlowfastException;
import org.slowfast.config.DatasetConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.Frame;
import org.slowfast.data.Sample;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.RawFrameDecode;
import org.slowfast.data.pipeline.SampleFrames;
import org.slowfast.data.pipeline.VideoDecode;
import org.slowfast.data.pipeline.VideoInit;

/**
 * Classifies windows of consecutive frames, as MMAction2's {@code demo/long_video_demo.py}: a window holds
 * {@code clip_len × num_clips} frames of the test pipeline's SampleFrames (its frame_interval is not used), which go
 * through the rest of the test pipeline (without SampleFrames and the decode steps) as the clips, then the model.
 */
public final class WindowClassifier implements AutoCloseable {
    private final InferenceModel model;
    private final List<PipelineStep> steps;
    private final int clipLen;
    private final int numClips;

    private WindowClassifier(InferenceModel model, List<PipelineStep> steps, int clipLen, int numClips) {
        this.model = model;
        this.steps = steps;
        this.clipLen = clipLen;
        this.numClips = numClips;
    }

    public static WindowClassifier load(LoadedConfig cfg, Path checkpoint, Device device) {
        cfg.require("model", "data.test");
        DatasetConfig test = cfg.config().data().test();
        cfg.require(test.baseKey("data.test") + ".pipeline");
        SampleFrames sampling = null;
        List<PipelineStep> steps = new ArrayList<>();
        for (PipelineStep step : test.base().pipeline()) {
            if (step instanceof SampleFrames s) {
                sampling = s;
            } else if (!(step instanceof VideoInit || step instanceof VideoDecode || step instanceof RawFrameDecode)) {
                steps.add(step);
            }
        }
        if (sampling == null || sampling.clipLen() == null) {
            throw new SlowfastException(cfg.file() + ": data.test.pipeline has no SampleFrames with clip_len");
        }
        return new WindowClassifier(InferenceModel.load(cfg, checkpoint, device, null), steps, sampling.clipLen(),
                sampling.numClips());
    }

    /** Frames per window: clip_len × num_clips. */
    public int windowLength() {
        return clipLen * numClips;
    }

    public int numClasses() {
        return model.numClasses();
    }

    /** The averaged class scores ({@code test_cfg.average_clips}) of one window of {@link #windowLength()} frames. */
    public float[] scores(List<Frame> window, Path video) {
        if (window.size() != windowLength()) {
            throw new IllegalArgumentException("window has " + window.size() + " frames, expected " + windowLength());
        }
        Sample sample = new Sample(0, video, new Random(0));
        sample.imgs = new ArrayList<>(window);
        sample.decoded = sample.imgs;
        sample.totalFrames = window.size();
        sample.clipLen = clipLen;
        sample.numClips = numClips;
        sample.frameInterval = 1;
        for (PipelineStep step : steps) {
            step.apply(sample);
        }
        if (sample.inputShape == null) {
            throw new SlowfastException(video + ": data.test.pipeline has no FormatShape step");
        }
        long[] shape = new long[sample.inputShape.length + 1];
        shape[0] = 1;
        System.arraycopy(sample.inputShape, 0, shape, 1, sample.inputShape.length);
        return model.predict(sample.out, shape)[0];
    }

    @Override
    public void close() {
        model.close();
    }
}
