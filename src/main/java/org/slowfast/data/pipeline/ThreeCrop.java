package org.slowfast.data.pipeline;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code ThreeCrop}: left/right/middle (or top/bottom/middle) crops, crop-major output. */
public record ThreeCrop(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> cropSize)
        implements PipelineStep {}
