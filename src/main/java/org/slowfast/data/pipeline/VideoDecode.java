package org.slowfast.data.pipeline;

import org.slowfast.SlowfastException;
import org.slowfast.data.Sample;

/** {@code DecordDecode}, {@code PyAVDecode} and {@code OpenCVDecode}: decode the sampled frames frame-accurately. */
public record VideoDecode(String mode, Boolean multiThread) implements PipelineStep {

    @Override
    public void apply(Sample sample) {
        if (sample.source == null) {
            throw new SlowfastException("VideoDecode needs a DecordInit/PyAVInit/OpenCVInit step before it");
        }
        try {
            sample.imgs = sample.source.read(sample.frameInds);
            sample.decoded = sample.imgs;
        } finally {
            sample.source.close();
            sample.source = null;
        }
    }
}
