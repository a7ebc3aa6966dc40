package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slowfast.config.PathwayConfig;

/**
 * One SlowFast pathway ({@code ResNet3dPathway}): stem ({@code conv1} + max-pool) and four bottleneck stages
 * ({@code layer1..layer4}). With {@code lateral}, it also owns the fast→slow lateral convs ({@code conv1_lateral},
 * {@code layer1_lateral..layer3_lateral}) whose outputs are concatenated after its own features; its stages are
 * then widened to take them.
 */
public final class ResNet3dPathway extends AbstractBlock implements StateModule {
    /** Blocks per stage for each supported depth. */
    public static final Map<Integer, int[]> STAGE_BLOCKS = Map.of(
            50, new int[] {3, 4, 6, 3},
            101, new int[] {3, 4, 23, 3},
            152, new int[] {3, 8, 36, 3});
    static final int STAGES = 4;

    private final ConvModule conv1;
    private final Shape poolStride;
    private final List<ResLayer> layers = new ArrayList<>();
    private final List<ConvModule> laterals = new ArrayList<>();
    private final int outChannels;

    /**
     * Builds a pathway from a validated config. {@code speedRatio} (α) and {@code channelRatio} (β⁻¹) are the
     * backbone's, injected for a lateral pathway as MMAction2 does.
     */
    public ResNet3dPathway(PathwayConfig cfg, int speedRatio, int channelRatio) {
        int base = cfg.baseChannels();
        int[] blocks = cfg.stageBlocks() != null
                ? cfg.stageBlocks().stream().mapToInt(Integer::intValue).toArray()
                : STAGE_BLOCKS.get(cfg.depth());
        List<Integer> k = cfg.conv1Kernel();
        conv1 = addChildBlock("conv1", ConvModule.builder().channels(cfg.inChannels(), base)
                .kernel(k.get(0), k.get(1), k.get(2))
                .stride(cfg.conv1StrideT(), cfg.conv1StrideS(), cfg.conv1StrideS())
                .padding((k.get(0) - 1) / 2, (k.get(1) - 1) / 2, (k.get(2) - 1) / 2).build());
        poolStride = new Shape(cfg.pool1StrideT(), cfg.pool1StrideS(), cfg.pool1StrideS());

        int inplanes = base;
        int fused = cfg.lateral() ? 2 * base / channelRatio : 0;
        for (int i = 0; i < STAGES; i++) {
            int planes = base << i;
            layers.add(addChildBlock("layer" + (i + 1), new ResLayer(inplanes + fused, planes, blocks[i],
                    cfg.spatialStrides().get(i), cfg.temporalStrides().get(i), cfg.dilations().get(i),
                    cfg.inflate().get(i) != 0)));
            inplanes = planes * Bottleneck3d.EXPANSION;
            fused = cfg.lateral() ? 2 * inplanes / channelRatio : 0;
        }
        outChannels = inplanes;

        if (cfg.lateral()) {
            int fk = cfg.fusionKernel();
            for (int i = 0; i < STAGES; i++) {
                int c = i == 0 ? base : (base << (i - 1)) * Bottleneck3d.EXPANSION;
                String name = i == 0 ? "conv1_lateral" : "layer" + i + "_lateral";
                laterals.add(addChildBlock(name, ConvModule.builder().channels(c / channelRatio, 2 * c / channelRatio)
                        .kernel(fk, 1, 1).stride(speedRatio, 1, 1).padding((fk - 1) / 2, 0, 0)
                        .norm(cfg.lateralNorm()).relu(cfg.lateralNorm()).build()));
            }
        }
        applyFreezing(cfg.frozenStages(), cfg.normEval());
    }

    /**
     * {@code frozen_stages}: the stem and the first n stages (and their lateral convs) stop learning and keep their
     * BN statistics; {@code norm_eval}: every BN of the pathway uses its running statistics.
     */
    private void applyFreezing(int frozenStages, boolean normEval) {
        List<AbstractBlock> frozen = new ArrayList<>();
        if (frozenStages >= 0) {
            frozen.add(conv1);
        }
        for (int i = 1; i <= frozenStages; i++) {
            frozen.add(layers.get(i - 1));
            if (i != STAGES && !laterals.isEmpty()) {
                frozen.add(laterals.get(i - 1));
            }
        }
        for (AbstractBlock b : frozen) {
            b.getParameters().values().forEach(p -> p.freeze(true));
            forEachBatchNorm(b, bn -> bn.setEvalMode(true));
        }
        if (normEval) {
            forEachBatchNorm(this, bn -> bn.setEvalMode(true));
        }
    }

    private static void forEachBatchNorm(ai.djl.nn.Block b, java.util.function.Consumer<BatchNorm3d> action) {
        if (b instanceof BatchNorm3d bn) {
            action.accept(bn);
        }
        b.getChildren().values().forEach(c -> forEachBatchNorm(c, action));
    }

    /** Channels of the last stage's output. */
    public int outChannels() {
        return outChannels;
    }

    ConvModule conv1() {
        return conv1;
    }

    List<ResLayer> layers() {
        return layers;
    }

    List<ConvModule> laterals() {
        return laterals;
    }

    NDArray stem(ParameterStore ps, NDArray x, boolean training) {
        NDArray c = conv1.apply(ps, x, training);
        return Release.after(c, Pool.maxPool3d(c, new Shape(1, 3, 3), poolStride, new Shape(0, 1, 1), false));
    }

    Shape stemShape(Shape in) {
        Shape c = conv1.outputShape(in);
        return new Shape(c.get(0), c.get(1), (c.get(2) - 1) / poolStride.get(0) + 1,
                (c.get(3) + 2 - 3) / poolStride.get(1) + 1, (c.get(4) + 2 - 3) / poolStride.get(2) + 1);
    }

    /** Runs the stem and the four stages without fusion (a plain ResNet3d forward). */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = stem(ps, inputs.singletonOrThrow(), training);
        for (ResLayer layer : layers) {
            x = layer.apply(ps, x, training);
        }
        return new NDList(x);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = stemShape(inputShapes[0]);
        for (ResLayer layer : layers) {
            s = layer.outputShape(s);
        }
        return new Shape[] {s};
    }

    /** Parameter shapes do not depend on the input, so children initialise from nominal shapes. */
    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, inputShapes);
        }
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        conv1.collectState(prefix + "conv1.", out);
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).collectState(prefix + "layer" + (i + 1) + ".", out);
        }
        for (int i = 0; i < laterals.size(); i++) {
            laterals.get(i).collectState(prefix + (i == 0 ? "conv1_lateral." : "layer" + i + "_lateral."), out);
        }
    }
}
