package org.slowfast.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;

/** {@code lr_config}: mmcv's LrUpdaterHook ({@code CosineAnnealing} or {@code step}) with optional warmup. */
public record LrConfig(
        String policy,
        Boolean byEpoch,
        String warmup,
        Integer warmupIters,
        Double warmupRatio,
        Boolean warmupByEpoch,
        Double minLr,
        Double minLrRatio,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> step,
        Double gamma) {

    public LrConfig {
        if (byEpoch == null) {
            byEpoch = true;
        }
        if (warmupIters == null) {
            warmupIters = 0;
        }
        if (warmupRatio == null) {
            warmupRatio = 0.1;
        }
        if (warmupByEpoch == null) {
            warmupByEpoch = false;
        }
        if (gamma == null) {
            gamma = 0.1;
        }
    }
}
