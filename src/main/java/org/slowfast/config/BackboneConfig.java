package org.slowfast.config;

/** {@code model.backbone}: {@code ResNet3dSlowFast} (τ = resample_rate, α = speed_ratio, β⁻¹ = channel_ratio). */
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
    }
}
