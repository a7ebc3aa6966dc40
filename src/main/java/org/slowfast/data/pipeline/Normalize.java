package org.slowfast.data.pipeline;

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
}
