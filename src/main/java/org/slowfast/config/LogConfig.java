package org.slowfast.config;

import java.util.List;
import java.util.Map;

/** {@code log_config}: train log interval (iterations) and logger hooks ({@code TextLoggerHook} is always on). */
public record LogConfig(Integer interval, List<Map<String, Object>> hooks) {
    public LogConfig {
        if (interval == null) {
            interval = 10;
        }
        if (hooks == null) {
            hooks = List.of(Map.of("type", "TextLoggerHook"));
        }
    }
}
