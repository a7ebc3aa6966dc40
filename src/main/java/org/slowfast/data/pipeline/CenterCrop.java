package org.slowfast.data.pipeline;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code CenterCrop}: crop_size is an int or a (w, h) pair. */
public record CenterCrop(
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> cropSize, Boolean lazy)
        implements PipelineStep {}
