package org.slowfast.data.pipeline;

/** {@code DecordInit}, {@code PyAVInit} and {@code OpenCVInit}: open a video with JavaCV (FFmpeg). */
public record VideoInit(String ioBackend, Integer numThreads) implements PipelineStep {}
