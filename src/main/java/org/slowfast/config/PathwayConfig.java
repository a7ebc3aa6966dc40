package org.slowfast.config;

import java.util.List;
import java.util.Map;

/**
 * {@code slow_pathway} / {@code fast_pathway}: a {@code ResNet3dPathway} ({@code type: resnet3d}). Absent keys take
 * MMAction2 0.x's class defaults. {@code speed_ratio} and {@code channel_ratio} are injected from the backbone
 * when {@code lateral} is true.
 */
public record PathwayConfig(
        String type,
        Integer depth,
        String pretrained,
        Boolean pretrained2d,
        List<Integer> stageBlocks,
        Integer inChannels,
        Integer numStages,
        Integer baseChannels,
        List<Integer> outIndices,
        List<Integer> spatialStrides,
        List<Integer> temporalStrides,
        List<Integer> dilations,
        List<Integer> conv1Kernel,
        Integer conv1StrideS,
        Integer conv1StrideT,
        Integer pool1StrideS,
        Integer pool1StrideT,
        Boolean withPool1,
        Boolean withPool2,
        String style,
        Integer frozenStages,
        List<Integer> inflate,
        String inflateStyle,
        Map<String, Object> convCfg,
        Map<String, Object> normCfg,
        Map<String, Object> actCfg,
        Boolean normEval,
        Boolean withCp,
        List<Integer> nonLocal,
        Map<String, Object> nonLocalCfg,
        Boolean zeroInitResidual,
        Boolean lateral,
        Boolean lateralNorm,
        Integer speedRatio,
        Integer channelRatio,
        Integer fusionKernel) {

    public PathwayConfig {
        if (type == null) {
            type = "resnet3d";
        }
        if (pretrained2d == null) {
            pretrained2d = true;
        }
        if (inChannels == null) {
            inChannels = 3;
        }
        if (numStages == null) {
            numStages = 4;
        }
        if (baseChannels == null) {
            baseChannels = 64;
        }
        if (outIndices == null) {
            outIndices = List.of(3);
        }
        if (spatialStrides == null) {
            spatialStrides = List.of(1, 2, 2, 2);
        }
        if (temporalStrides == null) {
            temporalStrides = List.of(1, 1, 1, 1);
        }
        if (dilations == null) {
            dilations = List.of(1, 1, 1, 1);
        }
        if (conv1Kernel == null) {
            conv1Kernel = List.of(3, 7, 7);
        }
        if (conv1StrideS == null) {
            conv1StrideS = 2;
        }
        if (conv1StrideT == null) {
            conv1StrideT = 1;
        }
        if (pool1StrideS == null) {
            pool1StrideS = 2;
        }
        if (pool1StrideT == null) {
            pool1StrideT = 1;
        }
        if (withPool1 == null) {
            withPool1 = true;
        }
        if (withPool2 == null) {
            withPool2 = true;
        }
        if (style == null) {
            style = "pytorch";
        }
        if (frozenStages == null) {
            frozenStages = -1;
        }
        if (inflate == null) {
            inflate = List.of(1, 1, 1, 1);
        }
        if (inflateStyle == null) {
            inflateStyle = "3x1x1";
        }
        if (normEval == null) {
            normEval = false;
        }
        if (withCp == null) {
            withCp = false;
        }
        if (zeroInitResidual == null) {
            zeroInitResidual = true;
        }
        if (lateral == null) {
            lateral = false;
        }
        if (lateralNorm == null) {
            lateralNorm = false;
        }
        if (speedRatio == null) {
            speedRatio = 8;
        }
        if (channelRatio == null) {
            channelRatio = 8;
        }
        if (fusionKernel == null) {
            fusionKernel = 5;
        }
    }
}
