package org.slowfast.config;

/** {@code checkpoint_config}: mmcv's CheckpointHook. */
public record CheckpointConfig(
        Integer interval, Boolean byEpoch, Boolean saveOptimizer, Integer maxKeepCkpts, Boolean saveLast,
        String outDir) {
    public CheckpointConfig {
        if (interval == null) {
            interval = 1;
        }
        if (byEpoch == null) {
            byEpoch = true;
        }
        if (saveOptimizer == null) {
            saveOptimizer = true;
        }
        if (maxKeepCkpts == null) {
            maxKeepCkpts = -1;
        }
        if (saveLast == null) {
            saveLast = true;
        }
    }
}
