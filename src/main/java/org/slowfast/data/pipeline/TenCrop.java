package org.slowfast.data.pipeline;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code TenCrop}: five crops and their horizontal flips. */
public record TenCrop(@JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> cropSize)
        implements PipelineStep {}
