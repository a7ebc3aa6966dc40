package org.slowfast.data.pipeline;

import org.slowfast.SlowfastException;
import org.slowfast.data.Sample;

import java.util.List;

/** {@code Normalize}: (x − mean) / std per channel, optionally RGB → BGR first. */
public record Normalize(List<Double> mean, List<Double> std, Boolean toBgr, Boolean adjustMagnitude)
        implements PipelineStep {
    public Normalize {
        if (toBgr == null) {
            toBgr = false;
        }
        if (adjustMagnitude == null) {
            adjustMagnitude = false;
        }
    }

    /**
     * Records mean, std and to_bgr; {@link FormatShape} applies them while it writes the floats, so the clip goes
     * from bytes to its normalised floats in one pass, straight into the batch.
     */
    @Override
    public void apply(Sample sample) {
        if (mean == null || std == null || mean.size() != 3 || std.size() != 3) {
            throw new SlowfastException("Normalize: mean and std must have 3 values each");
        }
        if (sample.inputShape != null) {
            throw new SlowfastException("Normalize must come before FormatShape");
        }
        sample.mean = mean.stream().mapToDouble(Double::doubleValue).toArray();
        sample.std = std.stream().mapToDouble(Double::doubleValue).toArray();
        sample.toBgr = toBgr;
    }
}
