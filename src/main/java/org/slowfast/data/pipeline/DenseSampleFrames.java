package org.slowfast.data.pipeline;

import java.util.Random;
import org.slowfast.data.Sample;

/**
 * {@code DenseSampleFrames}: MMAction2's dense sampling. The {@code num_clips} clips start {@code sample_range /
 * num_clips} frames apart (modulo the video length) from one start: a random one in
 * {@code [0, total - sample_range - 1)} for training, and {@code num_sample_positions} evenly spaced ones over
 * {@code [0, total - sample_range]} for testing (so a test sample has num_clips × num_sample_positions clips).
 * Frame steps, jitter and the out-of-bound rule are SampleFrames'.
 */
public record DenseSampleFrames(
        Integer clipLen,
        Integer frameInterval,
        Integer numClips,
        Integer sampleRange,
        Integer numSamplePositions,
        Boolean temporalJitter,
        String outOfBoundOpt,
        Boolean testMode,
        Integer startIndex) implements FrameSampler {
    public DenseSampleFrames {
        if (sampleRange == null) {
            sampleRange = 64;
        }
        if (numSamplePositions == null) {
            numSamplePositions = 10;
        }
        if (sampleRange < 1 || numSamplePositions < 1) {
            throw new IllegalArgumentException("sample_range and num_sample_positions must be positive");
        }
        new SampleFrames(clipLen, frameInterval, numClips, temporalJitter, false, outOfBoundOpt, testMode, startIndex,
                false); // SampleFrames' checks of the shared arguments
    }

    @Override
    public int clipsPerSample() {
        return frames().numClips() * (frames().testMode() ? numSamplePositions : 1);
    }

    private SampleFrames frames() {
        return new SampleFrames(clipLen, frameInterval, numClips, temporalJitter, false, outOfBoundOpt, testMode,
                startIndex, false);
    }

    /** The clips' start offsets for a video of {@code n} frames. */
    public double[] clipOffsets(int n, Random rng) {
        SampleFrames base = frames();
        int samplePosition = Math.max(1, 1 + n - sampleRange);
        int interval = sampleRange / base.numClips();
        if (!base.testMode()) {
            // numpy's randint(0, sample_position - 1): the upper bound is exclusive
            int start = samplePosition == 1 ? 0 : rng.nextInt(samplePosition - 1);
            double[] offsets = new double[base.numClips()];
            for (int k = 0; k < offsets.length; k++) {
                offsets[k] = (k * interval + start) % n;
            }
            return offsets;
        }
        double[] offsets = new double[numSamplePositions * base.numClips()];
        // np.linspace(0, sample_position - 1, num_sample_positions, dtype=int): i * step, truncated
        double step = numSamplePositions == 1 ? 0 : (samplePosition - 1) / (double) (numSamplePositions - 1);
        for (int p = 0; p < numSamplePositions; p++) {
            int start = p == numSamplePositions - 1 && numSamplePositions > 1 ? samplePosition - 1 : (int) (p * step);
            for (int k = 0; k < base.numClips(); k++) {
                offsets[p * base.numClips() + k] = (k * interval + start) % n;
            }
        }
        return offsets;
    }

    /** The flat frame indices of all clips for a video of {@code n} frames, start_index added. */
    public int[] frameIndices(int n, int startIndex, Random rng) {
        if (n <= 0) {
            throw new IllegalArgumentException("total_frames must be positive, got " + n);
        }
        return frames().frameIndices(clipOffsets(n, rng), n, startIndex, rng);
    }

    @Override
    public void apply(Sample sample) {
        frames().apply(sample, frameIndices(SampleFrames.checkedTotal(sample), sample.startIndex, sample.rng));
    }
}
