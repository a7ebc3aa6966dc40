package org.slowfast.data.pipeline;

/** {@code DecordDecode}, {@code PyAVDecode} and {@code OpenCVDecode}: decode the sampled frames frame-accurately. */
public record VideoDecode(String mode, Boolean multiThread) implements PipelineStep {}
