package org.slowfast.data;

import java.util.Random;
import org.slowfast.SlowfastException;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.RawFrameDecode;
import org.slowfast.data.pipeline.VideoDecode;
import org.slowfast.data.pipeline.VideoInit;

/**
 * One entry of {@code check-videos}, as MMAction2's {@code tools/analysis/check_videos.py}: the dataset's decode
 * steps (DecordInit/PyAVInit/OpenCVInit, then the Decode step or RawFrameDecode) run on the first, the last and
 * three random frames in between, in place of the pipeline's frame sampling; every other step is left out.
 */
public final class VideoCheck {
    private VideoCheck() {}

    /** Throws a one-line error when the dataset's pipeline has no decode step to check with. */
    public static void requireDecodeStep(ClipDataset dataset, String where) {
        if (dataset.config().pipeline().stream().noneMatch(VideoCheck::isDecode)) {
            throw new SlowfastException(where + ": the pipeline has no decode step (DecordDecode, PyAVDecode,"
                    + " OpenCVDecode or RawFrameDecode)");
        }
    }

    /** Null when entry {@code index} decodes, else why not (without the entry's path). */
    public static String problem(ClipDataset dataset, int index, Random rng) {
        Sample sample = dataset.newSample(index, rng);
        try {
            for (PipelineStep step : dataset.config().pipeline()) {
                if (step instanceof VideoInit) {
                    step.apply(sample);
                } else if (isDecode(step)) {
                    sample.frameInds = frames(sample.totalFrames, sample.startIndex, rng);
                    step.apply(sample);
                    return null;
                }
            }
            throw new IllegalStateException("no decode step");
        } catch (RuntimeException e) {
            return reason(sample.file.toString(), Images.oneLine(e));
        } finally {
            if (sample.source != null) {
                sample.source.close();
            }
        }
    }

    /** MMAction2's RandomSampleFrames: the first and last frame, and three random ones in [1, total - 2]. */
    static int[] frames(int total, int startIndex, Random rng) {
        if (total < 1) {
            throw new SlowfastException("no frames");
        }
        int[] inds = total > 2 ? new int[] {0, total - 1, 1 + rng.nextInt(total - 2), 1 + rng.nextInt(total - 2),
            1 + rng.nextInt(total - 2)} : new int[] {0, total - 1};
        for (int i = 0; i < inds.length; i++) {
            inds[i] += startIndex;
        }
        return inds;
    }

    private static boolean isDecode(PipelineStep step) {
        return step instanceof VideoDecode || step instanceof RawFrameDecode;
    }

    /** The message without a leading "{@code file}: " or "{@code file}/" (a frame's name stays). */
    private static String reason(String file, String message) {
        if (message.startsWith(file + ": ")) {
            return message.substring(file.length() + 2);
        }
        return message.startsWith(file + "/") ? message.substring(file.length() + 1) : message;
    }
}
