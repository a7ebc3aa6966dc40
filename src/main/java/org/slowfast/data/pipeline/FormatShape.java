package org.slowfast.data.pipeline;

/** {@code FormatShape}: lay frames out as NCTHW (crops·clips, C, T, H, W) or NCHW. */
public record FormatShape(String inputFormat, Boolean collapse) implements PipelineStep {
    public FormatShape {
        if (collapse == null) {
            collapse = false;
        }
    }
}
