package org.slowfast.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Random;

/**
 * One sample travelling through the pipeline: the JVM counterpart of MMAction2's {@code results} dict. The dataset
 * fills the annotation fields; each pipeline step reads and updates the rest. Fields are public on purpose, as the
 * dict's keys are.
 */
public final class Sample {
    /** The sample's position in the annotation file. */
    public final int index;
    /** {@code frame_dir} (rawframes) or {@code filename} (videos), joined onto data_prefix. */
    public final Path file;
    /** The generator of every random step of this sample, seeded from (seed, epoch, index, attempt). */
    public final Random rng;

    public int totalFrames;
    public int offset;
    public int startIndex;
    public String filenameTmpl;
    public String modality = "RGB";
    /** The label (first label for multi-class annotations). */
    public int label;
    /** All labels of the annotation line. */
    public int[] labels;

    // SampleFrames
    public int[] frameInds;
    public int clipLen;
    public int frameInterval;
    public int numClips;

    // VideoInit / decoding
    public FrameSource source;
    /** The decoded frames before any transform, in sampled order (kept for browse-dataset). */
    public List<Frame> decoded;
    /** The current frames, HWC RGB bytes; after multi-crop steps the order is crop-major. */
    public List<Frame> imgs;

    // Flip
    public boolean flip;
    public String flipDirection;

    // Normalize (applied while FormatShape writes the floats)
    public double[] mean;
    public double[] std;
    public boolean toBgr;

    // FormatShape
    /** Where FormatShape writes the clip's floats: {@code out[outOffset ..]}; allocated there when null. */
    public float[] out;
    public int outOffset;
    public long[] inputShape;

    public Sample(int index, Path file, Random rng) {
        this.index = index;
        this.file = file;
        this.rng = rng;
    }

    public int height() {
        return imgs.get(0).height();
    }

    public int width() {
        return imgs.get(0).width();
    }

    /** The number of floats of the formatted clip. */
    public int outputLength() {
        long n = 1;
        for (long d : inputShape) {
            n *= d;
        }
        return Math.toIntExact(n);
    }
}
