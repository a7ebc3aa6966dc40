package org.slowfast.data.pipeline;

import org.slowfast.data.RawframeSource;
import org.slowfast.data.Sample;

/** {@code RawFrameDecode}: reads the sampled JPEG/PNG frames of a rawframe directory as RGB. */
public record RawFrameDecode(String ioBackend, String decodingBackend) implements PipelineStep {

    @Override
    public void apply(Sample sample) {
        RawframeSource frames = new RawframeSource(sample.file, sample.filenameTmpl, sample.offset, sample.totalFrames);
        sample.imgs = frames.read(sample.frameInds);
        sample.decoded = sample.imgs;
    }
}
