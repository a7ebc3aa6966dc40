package org.slowfast.data.pipeline;

/** A step that picks the frame indices of a sample's clips ({@link SampleFrames}, {@link DenseSampleFrames}). */
public interface FrameSampler extends PipelineStep {
    /** Frames per clip. */
    Integer clipLen();

    /** Clips per sample, in the step's own mode (test mode may give several clips per position). */
    int clipsPerSample();
}
