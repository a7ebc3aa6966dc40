package org.slowfast.model;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import org.slowfast.config.BackboneConfig;
import org.slowfast.config.HeadConfig;
import org.slowfast.config.ModelConfig;
import org.slowfast.config.PathwayConfig;
import org.slowfast.runtime.Memory;

/** Validates the {@code model} dict; every problem is one error naming the dotted key. */
final class ModelConfigCheck {
    private final BiFunction<String, String, RuntimeException> error;
    private final int replicas;

    ModelConfigCheck(BiFunction<String, String, RuntimeException> error) {
        this(error, 0);
    }

    /** With {@code replicas} CPU training replicas: the memory bound counts their weights, gradients and momentum. */
    ModelConfigCheck(BiFunction<String, String, RuntimeException> error, int replicas) {
        this.error = error;
        this.replicas = replicas;
    }

    void check(ModelConfig m) {
        if (m == null) {
            throw error.apply("model", "missing");
        }
        expect("model.type", m.type(), "Recognizer3D");
        BackboneConfig b = m.backbone();
        if (b == null) {
            throw error.apply("model.backbone", "missing");
        }
        expect("model.backbone.type", b.type(), "ResNet3dSlowFast");
        if (b.pretrained() != null) {
            throw error.apply("model.backbone.pretrained", "loading backbone weights is not supported; use load_from");
        }
        positive("model.backbone.resample_rate", b.resampleRate());
        positive("model.backbone.speed_ratio", b.speedRatio());
        positive("model.backbone.channel_ratio", b.channelRatio());
        if (b.speedRatio() > b.resampleRate()) {
            throw error.apply("model.backbone.speed_ratio", "must not exceed resample_rate (" + b.resampleRate()
                    + ") since the fast path samples every resample_rate // speed_ratio frames");
        }
        pathway("model.backbone.slow_pathway", b.slowPathway());
        pathway("model.backbone.fast_pathway", b.fastPathway());
        if (b.fastPathway().lateral()) {
            throw error.apply("model.backbone.fast_pathway.lateral", "only the slow pathway has lateral connections");
        }
        if (b.slowPathway().lateral()
                && b.slowPathway().baseChannels() / b.channelRatio() != b.fastPathway().baseChannels()) {
            throw error.apply("model.backbone.channel_ratio", "slow base_channels " + b.slowPathway().baseChannels()
                    + " // channel_ratio " + b.channelRatio() + " must equal the fast base_channels "
                    + b.fastPathway().baseChannels() + " for the lateral connections");
        }
        head(m.clsHead(), 32L * b.slowPathway().baseChannels() + 32L * b.fastPathway().baseChannels());
        parametersFit(b, m.clsHead());
        if (AverageClips.parse(m.testCfg().averageClips()) == null) {
            throw error.apply("model.test_cfg.average_clips", "must be prob, score or null, got '"
                    + m.testCfg().averageClips() + "'");
        }
        if (m.testCfg().maxTestingViews() != null) {
            positive("model.test_cfg.max_testing_views", m.testCfg().maxTestingViews());
        }
        if (Boolean.TRUE.equals(m.testCfg().featureExtraction())) {
            throw error.apply("model.test_cfg.feature_extraction", "feature extraction is not supported");
        }
    }

    private void pathway(String key, PathwayConfig p) {
        if (p == null) {
            throw error.apply(key, "missing");
        }
        expect(key + ".type", p.type(), "resnet3d");
        if (p.depth() == null || !ResNet3dPathway.STAGE_BLOCKS.containsKey(p.depth())) {
            throw error.apply(key + ".depth", "must be 50, 101 or 152, got " + p.depth());
        }
        if (p.pretrained() != null) {
            throw error.apply(key + ".pretrained", "loading pathway weights is not supported; use load_from");
        }
        if (p.numStages() != ResNet3dPathway.STAGES) {
            throw error.apply(key + ".num_stages", "only 4 stages are supported");
        }
        if (p.stageBlocks() != null) {
            fourPositive(key + ".stage_blocks", p.stageBlocks());
        }
        positive(key + ".in_channels", p.inChannels());
        positive(key + ".base_channels", p.baseChannels());
        fourPositive(key + ".spatial_strides", p.spatialStrides());
        fourPositive(key + ".temporal_strides", p.temporalStrides());
        fourPositive(key + ".dilations", p.dilations());
        if (p.inflate().size() != 4 || p.inflate().stream().anyMatch(v -> v != 0 && v != 1)) {
            throw error.apply(key + ".inflate", "must be 4 values of 0 or 1, got " + p.inflate());
        }
        if (p.conv1Kernel().size() != 3 || p.conv1Kernel().stream().anyMatch(v -> v < 1)) {
            throw error.apply(key + ".conv1_kernel", "must be 3 positive sizes (t, h, w), got " + p.conv1Kernel());
        }
        positive(key + ".conv1_stride_t", p.conv1StrideT());
        positive(key + ".conv1_stride_s", p.conv1StrideS());
        positive(key + ".pool1_stride_t", p.pool1StrideT());
        positive(key + ".pool1_stride_s", p.pool1StrideS());
        positive(key + ".fusion_kernel", p.fusionKernel());
        expect(key + ".style", p.style(), "pytorch");
        expect(key + ".inflate_style", p.inflateStyle(), "3x1x1");
        if (p.frozenStages() < -1 || p.frozenStages() > 4) {
            throw error.apply(key + ".frozen_stages", "must be between -1 and 4, got " + p.frozenStages());
        }
        if (p.nonLocal() != null && p.nonLocal().stream().anyMatch(v -> v != 0)) {
            throw error.apply(key + ".non_local", "non-local blocks are not supported");
        }
        layerType(key + ".conv_cfg", p.convCfg(), "Conv3d");
        layerType(key + ".norm_cfg", p.normCfg(), "BN3d");
        layerType(key + ".act_cfg", p.actCfg(), "ReLU");
    }

    private void head(HeadConfig h, long backboneChannels) {
        if (h == null) {
            throw error.apply("model.cls_head", "missing");
        }
        expect("model.cls_head.type", h.type(), "SlowFastHead");
        if (h.numClasses() == null) {
            throw error.apply("model.cls_head.num_classes", "missing");
        }
        positive("model.cls_head.num_classes", h.numClasses());
        if (h.inChannels() == null || h.inChannels() != backboneChannels) {
            throw error.apply("model.cls_head.in_channels", "must equal the backbone's output channels "
                    + backboneChannels + " (32 x slow base_channels + 32 x fast base_channels), got "
                    + h.inChannels());
        }
        expect("model.cls_head.spatial_type", h.spatialType(), "avg");
        if (h.dropoutRatio() < 0 || h.dropoutRatio() >= 1) {
            throw error.apply("model.cls_head.dropout_ratio", "must be in [0, 1), got " + h.dropoutRatio());
        }
        if (h.initStd() < 0) {
            throw error.apply("model.cls_head.init_std", "must not be negative, got " + h.initStd());
        }
    }

    /**
     * Refuses a model whose parameters cannot fit in this machine's memory before libtorch tries to allocate them,
     * naming the key that makes it so large: the estimate counts the head and the bottleneck convolutions (a lower
     * bound; BN, laterals and fused channels are left out).
     */
    private void parametersFit(BackboneConfig b, HeadConfig h) {
        double slow = pathwayParameters(b.slowPathway());
        double fast = pathwayParameters(b.fastPathway());
        double head = (double) h.inChannels() * h.numClasses() + h.numClasses();
        int copies = replicas > 0 ? 2 * replicas + 1 : 1;
        double bytes = (double) Float.BYTES * copies * (slow + fast + head);
        if (bytes > Memory.physicalBytes()) {
            String key = head >= Math.max(slow, fast) ? "model.cls_head.num_classes"
                    : "model.backbone." + (slow >= fast ? "slow" : "fast") + "_pathway.base_channels";
            throw error.apply(key, String.format(Locale.ROOT, "the model's parameters need at least %s (%.3g "
                    + "floats, %.3g of them in the head's fc%s), more than %s", Memory.format(bytes),
                    slow + fast + head, head, copies == 1 ? "" : "; " + copies + " copies: the weights and gradients "
                    + "of " + replicas + " training replicas and the momentum", Memory.describePhysical()));
        }
    }

    /** The weights of a pathway's stem and bottleneck convolutions (downsampling included). */
    private static double pathwayParameters(PathwayConfig p) {
        int[] blocks = p.stageBlocks() != null ? p.stageBlocks().stream().mapToInt(Integer::intValue).toArray()
                : ResNet3dPathway.STAGE_BLOCKS.get(p.depth());
        List<Integer> k = p.conv1Kernel();
        double base = p.baseChannels();
        double n = p.inChannels() * base * k.get(0) * k.get(1) * k.get(2);
        double inplanes = base;
        for (int i = 0; i < ResNet3dPathway.STAGES; i++) {
            double planes = base * (1L << i);
            double out = planes * Bottleneck3d.EXPANSION;
            int t = p.inflate().get(i) != 0 ? 3 : 1;
            n += inplanes * planes * t + 9 * planes * planes + planes * out + inplanes * out;
            n += (blocks[i] - 1) * (out * planes * t + 9 * planes * planes + planes * out);
            inplanes = out;
        }
        return n;
    }

    private void expect(String key, String value, String expected) {
        if (!expected.equals(value)) {
            throw error.apply(key, "only '" + expected + "' is supported, got '" + value + "'");
        }
    }

    private void positive(String key, Integer value) {
        if (value == null || value < 1) {
            throw error.apply(key, "must be a positive integer, got " + value);
        }
    }

    private void fourPositive(String key, List<Integer> values) {
        if (values.size() != 4 || values.stream().anyMatch(v -> v == null || v < 1)) {
            throw error.apply(key, "must be 4 positive integers (one per stage), got " + values);
        }
    }

    private void layerType(String key, Map<String, Object> cfg, String expected) {
        if (cfg != null && cfg.get("type") != null && !expected.equals(cfg.get("type"))) {
            throw error.apply(key + ".type", "only '" + expected + "' is supported, got '" + cfg.get("type") + "'");
        }
    }
}
