package org.slowfast.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import java.util.Map;

/** {@code evaluation}: mmaction2's EvalHook ({@code save_best} defaults to {@code auto}, i.e. the first metric). */
public record EvaluationConfig(
        Integer interval,
        Integer start,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<String> metrics,
        String saveBest,
        String rule,
        Boolean gpuCollect,
        String tmpdir,
        Boolean byEpoch,
        Map<String, Object> metricOptions) {
    public EvaluationConfig {
        if (interval == null) {
            interval = 1;
        }
        if (metrics == null) {
            metrics = List.of("top_k_accuracy");
        }
        if (saveBest == null) {
            saveBest = "auto";
        }
    }
}
