package org.slowfast.data.pipeline;

import java.util.List;

/** {@code ToTensor}: a no-op on the JVM (arrays already are tensors), kept for config compatibility. */
public record ToTensor(List<String> keys) implements PipelineStep {}
