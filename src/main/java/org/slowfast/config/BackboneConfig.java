package org.slowfast.config;

import java.util.List;
import java.util.Map;

/**
 * {@code model.backbone}: {@code ResNet3dSlowFast} (τ = resample_rate, α = speed_ratio, β⁻¹ = channel_ratio). An
 * absent pathway takes the class default of MMAction2 0.x, which is the R50 pathway of the seed configs without
 * {@code norm_eval}; a given pathway dict replaces that default whole, as in Python.
 */
public record BackboneConfig(
        String type,
        String pretrained,
        Integer resampleRate,
        Integer speedRatio,
        Integer channelRatio,
        PathwayConfig slowPathway,
        PathwayConfig fastPathway) {

    public BackboneConfig {
        if (type == null) {
            type = "ResNet3dSlowFast";
        }
        if (resampleRate == null) {
            resampleRate = 8;
        }
        if (speedRatio == null) {
            speedRatio = 8;
        }
        if (channelRatio == null) {
            channelRatio = 8;
        }
        if (slowPathway == null) {
            slowPathway = LoadedConfig.bind(Map.of("type", "resnet3d", "depth", 50, "lateral", true,
                    "conv1_kernel", List.of(1, 7, 7), "dilations", List.of(1, 1, 1, 1), "conv1_stride_t", 1,
                    "pool1_stride_t", 1, "inflate", List.of(0, 0, 1, 1)), PathwayConfig.class);
        }
        if (fastPathway == null) {
            fastPathway = LoadedConfig.bind(Map.of("type", "resnet3d", "depth", 50, "lateral", false,
                    "base_channels", 8, "conv1_kernel", List.of(5, 7, 7), "conv1_stride_t", 1, "pool1_stride_t", 1),
                    PathwayConfig.class);
        }
    }
}
