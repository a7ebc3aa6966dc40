package org.slowfast.data.pipeline;

/** {@code RandomCrop}: a random square crop of side {@code size}. */
public record RandomCrop(Integer size, Boolean lazy) implements PipelineStep {}
