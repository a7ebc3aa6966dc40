package org.slowfast.data.pipeline;

import org.slowfast.data.Sample;
import org.slowfast.data.video.VideoFrameSource;

/** {@code DecordInit}, {@code PyAVInit} and {@code OpenCVInit}: open a video with JavaCV (FFmpeg). */
public record VideoInit(String ioBackend, Integer numThreads) implements PipelineStep {

    @Override
    public void apply(Sample sample) {
        sample.source = VideoFrameSource.open(sample.file, numThreads == null ? 1 : numThreads);
        sample.totalFrames = sample.source.totalFrames();
    }
}
