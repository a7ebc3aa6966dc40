package org.slowfast.data.pipeline;

/** {@code RawFrameDecode}: reads the sampled JPEG/PNG frames of a rawframe directory as RGB. */
public record RawFrameDecode(String ioBackend, String decodingBackend) implements PipelineStep {}
