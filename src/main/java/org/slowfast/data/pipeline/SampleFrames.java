package org.slowfast.data.pipeline;

import java.util.Arrays;
import java.util.Random;
import org.slowfast.SlowfastException;
import org.slowfast.data.Sample;

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
        Boolean keepTailFrames) implements FrameSampler {
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
        if (clipLen == null || clipLen < 1 || frameInterval < 1 || numClips < 1) {
            throw new IllegalArgumentException("clip_len, frame_interval and num_clips must be positive");
        }
        if (!outOfBoundOpt.equals("loop") && !outOfBoundOpt.equals("repeat_last")) {
            throw new IllegalArgumentException("out_of_bound_opt must be 'loop' or 'repeat_last', got '"
                    + outOfBoundOpt + "'");
        }
    }

    @Override
    public int clipsPerSample() {
        return numClips * (testMode && twiceSample ? 2 : 1);
    }

    /** The clips' start offsets for a video of {@code n} frames (twice_sample offsets may be fractional). */
    public double[] clipOffsets(int n, Random rng) {
        int len = clipLen * frameInterval;
        double[] offsets = new double[numClips];
        if (testMode) {
            double avg = (n - len + 1) / (double) numClips;
            if (n > len - 1) {
                for (int k = 0; k < numClips; k++) {
                    offsets[k] = (long) (k * avg + avg / 2.0);
                }
                if (twiceSample) {
                    double[] both = Arrays.copyOf(offsets, 2 * numClips);
                    for (int k = 0; k < numClips; k++) {
                        both[numClips + k] = k * avg;
                    }
                    return both;
                }
            }
            return offsets;
        }
        if (keepTailFrames) {
            double avg = (n - len + 1) / (double) numClips;
            if (n > len - 1) {
                for (int k = 0; k < numClips; k++) {
                    offsets[k] = (long) (k * avg + avg * rng.nextDouble());
                }
            }
            return offsets;
        }
        int avg = Math.floorDiv(n - len + 1, numClips);
        if (avg > 0) {
            for (int k = 0; k < numClips; k++) {
                offsets[k] = k * avg + rng.nextInt(avg);
            }
        } else if (n > Math.max(numClips, len)) {
            for (int k = 0; k < numClips; k++) {
                offsets[k] = rng.nextInt(n - len + 1);
            }
            Arrays.sort(offsets);
        } else if (avg == 0) {
            double ratio = (n - len + 1.0) / numClips;
            for (int k = 0; k < numClips; k++) {
                offsets[k] = Math.rint(k * ratio);
            }
        }
        return offsets;
    }

    /** The flat frame indices of all clips for a video of {@code n} frames, start_index added. */
    public int[] frameIndices(int n, int startIndex, Random rng) {
        if (n <= 0) {
            throw new IllegalArgumentException("total_frames must be positive, got " + n);
        }
        return frameIndices(clipOffsets(n, rng), n, startIndex, rng);
    }

    /** The clips starting at {@code offsets}: frame_interval steps, temporal jitter, out-of-bound rule, start_index. */
    int[] frameIndices(double[] offsets, int n, int startIndex, Random rng) {
        int[] inds = new int[offsets.length * clipLen];
        for (int k = 0; k < offsets.length; k++) {
            double[] clip = new double[clipLen];
            for (int i = 0; i < clipLen; i++) {
                clip[i] = offsets[k] + i * frameInterval + (temporalJitter ? rng.nextInt(frameInterval) : 0);
            }
            if ("loop".equals(outOfBoundOpt)) {
                for (int i = 0; i < clipLen; i++) {
                    clip[i] = clip[i] % n;
                }
            } else {
                double last = 0;
                for (double v : clip) {
                    if (v < n) {
                        last = Math.max(last, v);
                    }
                }
                for (int i = 0; i < clipLen; i++) {
                    if (clip[i] >= n) {
                        clip[i] = last;
                    }
                }
            }
            for (int i = 0; i < clipLen; i++) {
                inds[k * clipLen + i] = (int) (clip[i] + startIndex);
            }
        }
        return inds;
    }

    @Override
    public void apply(Sample sample) {
        apply(sample, frameIndices(checkedTotal(sample), sample.startIndex, sample.rng));
    }

    static int checkedTotal(Sample sample) {
        if (sample.totalFrames <= 0) {
            throw new SlowfastException(sample.file + ": total_frames is " + sample.totalFrames + ", nothing to sample");
        }
        return sample.totalFrames;
    }

    /** Sets the sampled indices and the clip fields that FormatShape reads. */
    void apply(Sample sample, int[] frameInds) {
        sample.frameInds = frameInds;
        sample.clipLen = clipLen;
        sample.frameInterval = frameInterval;
        sample.numClips = numClips;
    }
}
