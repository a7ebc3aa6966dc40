package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;
import org.slowfast.SlowfastException;

/**
 * The SlowFast backbone: the slow path sees every τ-th frame (frames 0, τ, 2τ, … as MMAction2's nearest temporal
 * interpolation with scale 1/τ), the fast path every (τ/α)-th frame. Fast features are fused into the slow path by
 * the slow path's lateral convs after the stem and after res2, res3 and res4. Output: (slow, fast) features.
 */
public final class ResNet3dSlowFast extends AbstractBlock implements StateModule {
    private final int resampleRate;
    private final int speedRatio;
    private final ResNet3dPathway slowPath;
    private final ResNet3dPathway fastPath;

    public ResNet3dSlowFast(int resampleRate, int speedRatio, ResNet3dPathway slowPath, ResNet3dPathway fastPath) {
        this.resampleRate = resampleRate;
        this.speedRatio = speedRatio;
        this.slowPath = addChildBlock("slow_path", slowPath);
        this.fastPath = addChildBlock("fast_path", fastPath);
    }

    public ResNet3dPathway slowPath() {
        return slowPath;
    }

    public ResNet3dPathway fastPath() {
        return fastPath;
    }

    /** Frames the slow path sees for a clip of {@code t} frames; fails with one line when the clip is too short. */
    long slowFrames(long t) {
        if (t < resampleRate) {
            throw new SlowfastException("a clip of " + t + " frames is shorter than model.backbone.resample_rate ("
                    + resampleRate + "); clip_len must be at least " + resampleRate);
        }
        return t / resampleRate;
    }

    private int fastStep() {
        return resampleRate / speedRatio;
    }

    /** x: N×3×T×H×W. Returns (slow, fast) features of the last stage. */
    NDList apply(ParameterStore ps, NDArray x, boolean training) {
        long t = x.getShape().get(2);
        NDArray slow = stem(ps, slowPath, x, resampleRate, slowFrames(t), training);
        NDArray fast = stem(ps, fastPath, x, fastStep(), t / fastStep(), training);
        List<ConvModule> laterals = slowPath.laterals();
        if (!laterals.isEmpty()) {
            slow = fuse(slow, laterals.get(0).apply(ps, fast, training), t);
        }
        for (int i = 0; i < ResNet3dPathway.STAGES; i++) {
            slow = Release.after(slow, slowPath.layers().get(i).apply(ps, slow, training));
            fast = Release.after(fast, fastPath.layers().get(i).apply(ps, fast, training));
            if (i < ResNet3dPathway.STAGES - 1 && !laterals.isEmpty()) {
                slow = fuse(slow, laterals.get(i + 1).apply(ps, fast, training), t);
            }
        }
        return new NDList(slow, fast);
    }

    /** The pathway's stem on every {@code step}-th frame of x (frames 0, step, 2·step, …). */
    private static NDArray stem(ParameterStore ps, ResNet3dPathway path, NDArray x, int step, long frames,
            boolean training) {
        if (step == 1) {
            return path.stem(ps, x, training);
        }
        try (NDArray frameSubset = x.get(":, :, 0:" + frames * step + ":" + step)) {
            return path.stem(ps, frameSubset, training);
        }
    }

    /** slow ⊕ lateral on the channel axis; closes both inputs. */
    private NDArray fuse(NDArray slow, NDArray lateral, long clipFrames) {
        long ts = slow.getShape().get(2);
        long tl = lateral.getShape().get(2);
        if (ts != tl) {
            slow.close();
            lateral.close();
            throw new SlowfastException("a clip of " + clipFrames + " frames gives the slow path " + ts
                    + " frames but the fast-to-slow lateral " + tl + "; clip_len must be a multiple of"
                    + " model.backbone.resample_rate (" + resampleRate + ")");
        }
        try (lateral) {
            return Release.after(slow, slow.concat(lateral, 1));
        }
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return apply(ps, inputs.singletonOrThrow(), training);
    }

    /** Per-stage profile: output shapes and conv multiply-accumulates, slow and fast path, for an input shape. */
    List<StageProfile> profile(Shape input) {
        long t = input.get(2);
        Shape slow = withFrames(input, slowFrames(t));
        Shape fast = withFrames(input, t / fastStep());
        var rows = new java.util.ArrayList<StageProfile>();
        String sp = "backbone.slow_path.";
        String fp = "backbone.fast_path.";
        rows.add(new StageProfile(sp + "conv1", slowPath.conv1(), slowPath.conv1().macs(slow),
                slowPath.stemShape(slow)));
        rows.add(new StageProfile(fp + "conv1", fastPath.conv1(), fastPath.conv1().macs(fast),
                fastPath.stemShape(fast)));
        slow = slowPath.stemShape(slow);
        fast = fastPath.stemShape(fast);
        List<ConvModule> laterals = slowPath.laterals();
        for (int i = 0; i <= ResNet3dPathway.STAGES; i++) {
            if (i > 0) {
                ResLayer sl = slowPath.layers().get(i - 1);
                ResLayer fl = fastPath.layers().get(i - 1);
                rows.add(new StageProfile(sp + "layer" + i, sl, sl.macs(slow), sl.outputShape(slow)));
                rows.add(new StageProfile(fp + "layer" + i, fl, fl.macs(fast), fl.outputShape(fast)));
                slow = sl.outputShape(slow);
                fast = fl.outputShape(fast);
            }
            if (i < ResNet3dPathway.STAGES && !laterals.isEmpty()) {
                ConvModule lat = laterals.get(i);
                Shape ls = lat.outputShape(fast);
                rows.add(new StageProfile(sp + (i == 0 ? "conv1_lateral" : "layer" + i + "_lateral"), lat,
                        lat.macs(fast), ls));
                slow = new Shape(slow.get(0), slow.get(1) + ls.get(1), slow.get(2), slow.get(3), slow.get(4));
            }
        }
        return rows;
    }

    private static Shape withFrames(Shape s, long t) {
        return new Shape(s.get(0), s.get(1), t, s.get(3), s.get(4));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        List<StageProfile> rows = profile(inputShapes[0]);
        return new Shape[] {rows.get(rows.size() - 2).outputShape(), rows.get(rows.size() - 1).outputShape()};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        slowPath.initialize(manager, dataType, inputShapes);
        fastPath.initialize(manager, dataType, inputShapes);
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        slowPath.collectState(prefix + "slow_path.", out);
        fastPath.collectState(prefix + "fast_path.", out);
    }
}
