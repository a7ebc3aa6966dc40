package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.slowfast.SlowfastException;
import org.slowfast.config.BackboneConfig;
import org.slowfast.config.HeadConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.config.ModelConfig;

/**
 * MMAction2's {@code Recognizer3D}: a {@link ResNet3dSlowFast} backbone and a {@link SlowFastHead}. Training forward:
 * N×3×T×H×W clips to N×K logits. Testing ({@link #predict}): B×V views per video, averaged per
 * {@code test_cfg.average_clips}. Parameters and buffers carry MMAction2's state-dict keys ({@link #stateEntries}).
 */
public final class Recognizer3D extends AbstractBlock implements StateModule {
    private final ResNet3dSlowFast backbone;
    private final SlowFastHead clsHead;
    private final AverageClips averageClips;
    private final Integer maxTestingViews;
    private final boolean zeroInitSlow;
    private final boolean zeroInitFast;

    private Recognizer3D(ModelConfig m) {
        BackboneConfig b = m.backbone();
        backbone = addChildBlock("backbone", new ResNet3dSlowFast(b.resampleRate(), b.speedRatio(),
                new ResNet3dPathway(b.slowPathway(), b.speedRatio(), b.channelRatio()),
                new ResNet3dPathway(b.fastPathway(), b.speedRatio(), b.channelRatio())));
        HeadConfig h = m.clsHead();
        clsHead = addChildBlock("cls_head", new SlowFastHead(h.inChannels(), h.numClasses(), h.dropoutRatio(),
                h.initStd()));
        averageClips = AverageClips.parse(m.testCfg().averageClips());
        maxTestingViews = m.testCfg().maxTestingViews();
        zeroInitSlow = b.slowPathway().zeroInitResidual();
        zeroInitFast = b.fastPathway().zeroInitResidual();
    }

    /** Builds the model of a loaded config; invalid model keys fail with one line naming file, line and key. */
    public static Recognizer3D build(LoadedConfig cfg) {
        new ModelConfigCheck(cfg::error).check(cfg.config().model());
        return new Recognizer3D(cfg.config().model());
    }

    /**
     * Checks the model keys without building anything, and that the parameters of training with {@code replicas}
     * CPU replicas (0 on GPUs) can fit in memory.
     */
    public static void checkForTraining(LoadedConfig cfg, int replicas) {
        new ModelConfigCheck(cfg::error, replicas).check(cfg.config().model());
    }

    /** Builds the model from a {@code model} dict (tests, tools); errors name the key. */
    public static Recognizer3D build(ModelConfig model) {
        new ModelConfigCheck((key, msg) -> new SlowfastException(key + ": " + msg)).check(model);
        return new Recognizer3D(model);
    }

    public ResNet3dSlowFast backbone() {
        return backbone;
    }

    public SlowFastHead clsHead() {
        return clsHead;
    }

    public int numClasses() {
        return clsHead.numClasses();
    }

    /** The configured {@code test_cfg.average_clips}. */
    public AverageClips averageClips() {
        return averageClips;
    }

    /**
     * Allocates every parameter and applies MMAction2's initialisation (§2.5): Kaiming-normal fan_out convs, BN
     * weight 1 / bias 0 (0 for each bottleneck's conv3.bn with zero_init_residual), fc normal(0, init_std) with bias
     * 0, running stats 0/1, num_batches_tracked 0. Each tensor draws from its own generator seeded by (seed, key),
     * so the result depends only on the seed.
     */
    public void initializeWeights(NDManager manager, DataType type, long seed, Shape inputShape) {
        if (!isInitialized()) {
            initialize(manager, type, inputShape);
        }
        Set<Parameter> zeroGamma = Collections.newSetFromMap(new IdentityHashMap<>());
        collectLastGammas(backbone.slowPath(), zeroInitSlow, zeroGamma);
        collectLastGammas(backbone.fastPath(), zeroInitFast, zeroGamma);
        for (StateEntry e : stateEntries()) {
            if (e.kind() == StateEntry.Kind.COUNTER) {
                e.counterOwner().setNumBatchesTracked(0);
                continue;
            }
            Parameter p = e.parameter();
            float[] values = new float[Math.toIntExact(p.getShape().size())];
            switch (p.getType()) {
                case WEIGHT -> {
                    double std = p == clsHead.weight() ? clsHead.initStd()
                            : Math.sqrt(2.0 / (p.getShape().size() / p.getShape().get(1)));
                    Random r = new Random(seed * 0x9E3779B97F4A7C15L + e.key().hashCode());
                    for (int i = 0; i < values.length; i++) {
                        values[i] = (float) (r.nextGaussian() * std);
                    }
                }
                case GAMMA, RUNNING_VAR -> java.util.Arrays.fill(values, zeroGamma.contains(p) ? 0f : 1f);
                default -> { } // bias, beta, running mean: zeros
            }
            TensorArrays.write(p.getArray(), values);
        }
    }

    private static void collectLastGammas(ResNet3dPathway path, boolean enabled, Set<Parameter> out) {
        if (enabled) {
            path.layers().forEach(l -> l.blocks().forEach(b -> out.add(b.lastBn().weight())));
        }
    }

    /** Training/eval forward of N×3×T×H×W clips (a B×1×3×T×H×W batch is flattened first) to N×K logits. */
    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        NDArray x = inputs.head();
        if (x.getShape().dimension() == 6) {
            x = x.reshape(new Shape(-1).addAll(x.getShape().slice(2)));
        }
        NDList features = backbone.apply(ps, x, training);
        return new NDList(clsHead.apply(ps, features.get(0), features.get(1), training));
    }

    /** Test-mode scores for B×V×3×T×H×W views, combined as {@code test_cfg.average_clips} says. */
    public NDArray predict(ParameterStore ps, NDArray imgs) {
        return predict(ps, imgs, averageClips);
    }

    /**
     * Test-mode scores (eval BN, no dropout) for B×V×3×T×H×W views. The backbone runs on chunks of
     * {@code max_testing_views} views (all at once when unset), the head once on the concatenated features. Returns
     * B×K (prob: softmax per view then mean; score: mean logits) or B·V×K logits (NONE).
     */
    public NDArray predict(ParameterStore ps, NDArray imgs, AverageClips mode) {
        NDList features = testFeatures(ps, imgs);
        NDArray logits = clsHead.apply(ps, features.get(0), features.get(1), false);
        long b = imgs.getShape().get(0);
        long v = imgs.getShape().get(1);
        return switch (mode) {
            case NONE -> logits;
            case SCORE -> logits.reshape(b, v, -1).mean(new int[] {1});
            case PROB -> logits.reshape(b, v, -1).softmax(2).mean(new int[] {1});
        };
    }

    /**
     * MMAction2's {@code test_cfg.feature_extraction} features of B×V×3×T×H×W views, before its average over the
     * views: each pathway's output averaged over T×H×W and concatenated in the backbone's order, [slow | fast]
     * (the head concatenates [fast | slow]). Returns B·V×(C_slow + C_fast).
     */
    public NDArray extractFeatures(ParameterStore ps, NDArray imgs) {
        NDList features = testFeatures(ps, imgs);
        return SlowFastHead.globalAverage(features.get(0)).concat(SlowFastHead.globalAverage(features.get(1)), 1);
    }

    /** The backbone's (slow, fast) outputs of all B·V views, run in chunks of {@code max_testing_views}. */
    private NDList testFeatures(ParameterStore ps, NDArray imgs) {
        Shape s = imgs.getShape();
        if (s.dimension() != 6) {
            throw new IllegalArgumentException("expected B x V x C x T x H x W views, got " + s);
        }
        long n = s.get(0) * s.get(1);
        NDManager manager = imgs.getManager();
        NDArray flat = imgs.reshape(new Shape(n).addAll(s.slice(2)));
        long chunk = maxTestingViews == null ? n : maxTestingViews;
        NDList slow = new NDList();
        NDList fast = new NDList();
        for (long start = 0; start < n; start += chunk) {
            try (NDManager scope = manager.newSubManager()) {
                NDArray views = flat.get(start + ":" + Math.min(start + chunk, n));
                views.attach(scope);
                NDList f = backbone.apply(ps, views, false);
                f.attach(manager);
                slow.add(f.get(0));
                fast.add(f.get(1));
            }
        }
        return new NDList(slow.size() == 1 ? slow.get(0) : NDArrays.concat(slow, 0),
                fast.size() == 1 ? fast.get(0) : NDArrays.concat(fast, 0));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), clsHead.numClasses())};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        backbone.initialize(manager, dataType, inputShapes);
        clsHead.initialize(manager, dataType, backbone.getOutputShapes(inputShapes));
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        backbone.collectState(prefix + "backbone.", out);
        clsHead.collectState(prefix + "cls_head.", out);
    }

    /** Every state-dict entry (parameters, BN buffers, num_batches_tracked) in MMAction2's key order. */
    public List<StateEntry> stateEntries() {
        List<StateEntry> out = new ArrayList<>();
        collectState("", out);
        return out;
    }

    /**
     * Every learnable parameter under its MMAction2 key, in {@code model.named_parameters()} order (the order of
     * the indices in torch's optimizer state). Frozen parameters are included; see
     * {@link Parameter#requiresGradient()}.
     */
    public LinkedHashMap<String, Parameter> namedParameters() {
        LinkedHashMap<String, Parameter> out = new LinkedHashMap<>();
        for (StateEntry e : stateEntries()) {
            if (e.kind() == StateEntry.Kind.PARAMETER) {
                out.put(e.key(), e.parameter());
            }
        }
        return out;
    }

    /** Folds every BN into the conv before it, for inference ({@link ConvModule#fuseBn}); returns how many. */
    public int fuseConvBn() {
        return fuse(this);
    }

    private static int fuse(Block block) {
        int fused = block instanceof ConvModule conv && conv.fuseBn() ? 1 : 0;
        for (Block child : block.getChildren().values()) {
            fused += fuse(child);
        }
        return fused;
    }

    /** A BN layer with its key prefix, e.g. {@code backbone.slow_path.conv1.bn}. */
    public record NamedBatchNorm(String prefix, BatchNorm3d bn) {}

    /** Every BN layer in state-dict order (precise BN uses those with {@link BatchNorm3d#usesBatchStatistics()}). */
    public List<NamedBatchNorm> batchNorms() {
        List<NamedBatchNorm> out = new ArrayList<>();
        for (StateEntry e : stateEntries()) {
            if (e.kind() == StateEntry.Kind.COUNTER) {
                out.add(new NamedBatchNorm(e.key().substring(0, e.key().length() - ".num_batches_tracked".length()),
                        e.counterOwner()));
            }
        }
        return out;
    }

    /** Conv and fc multiply-accumulates for one input of this shape, per module. */
    public List<StageProfile> profile(Shape inputShape) {
        List<StageProfile> rows = new ArrayList<>(backbone.profile(inputShape));
        rows.add(new StageProfile("cls_head.fc_cls", clsHead, clsHead.macs(inputShape.get(0)),
                new Shape(inputShape.get(0), clsHead.numClasses())));
        return rows;
    }

    /** Trainable parameter count (frozen parameters and BN buffers excluded); needs no allocated weights. */
    public long trainableParameterCount() {
        return namedParameters().values().stream().filter(Parameter::requiresGradient)
                .mapToLong(p -> p.getShape().size()).sum();
    }
}
