package org.slowfast.data.pipeline;

import org.slowfast.data.Sample;

import java.util.List;

/** {@code Collect}: the keys a sample keeps (a no-op on the JVM, kept for config compatibility). */
public record Collect(List<String> keys, List<String> metaKeys, String metaName, Boolean nested)
        implements PipelineStep {

    /** A no-op: the loader keeps the clip and its label. */
    @Override
    public void apply(Sample sample) {}
}
