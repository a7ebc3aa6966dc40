package org.slowfast.data.pipeline;

/** {@code SampleFrames}: which frame indices form the clips (MMAction2 0.x formulas, reference §3.2). */
public record SampleFrames(
        Integer clipLen,
        Integer frameInterval,
        Integer numClips,
        Boolean temporalJitter,
        Boolean twiceSample,
        String outOfBoundOpt,
        Boolean testMode,
        Integer startIndex,
        Boolean keepTailFrames) implements PipelineStep {
    public SampleFrames {
        if (frameInterval == null) {
            frameInterval = 1;
        }
        if (numClips == null) {
            numClips = 1;
        }
        if (temporalJitter == null) {
            temporalJitter = false;
        }
        if (twiceSample == null) {
            twiceSample = false;
        }
        if (outOfBoundOpt == null) {
            outOfBoundOpt = "loop";
        }
        if (testMode == null) {
            testMode = false;
        }
        if (keepTailFrames == null) {
            keepTailFrames = false;
        }
    }
}
