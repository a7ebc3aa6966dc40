package org.slowfast.data.pipeline;

import org.slowfast.data.Sample;

import java.util.List;

/** {@code ToTensor}: a no-op on the JVM (arrays already are tensors), kept for config compatibility. */
public record ToTensor(List<String> keys) implements PipelineStep {

    /** A no-op: the clip already is a float array. */
    @Override
    public void apply(Sample sample) {}
}
