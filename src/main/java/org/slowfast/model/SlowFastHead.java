package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * {@code SlowFastHead}: global average pooling of each pathway, concatenation as [fast | slow] (MMAction2's order:
 * {@code fc_cls.weight[:, :C_fast]} multiplies the fast features), dropout, then {@code fc_cls} with bias. Dropout
 * masks come from the head's own seeded generator ({@link #seedDropout}), not torch's global one, so concurrent
 * replicas draw reproducible masks whatever the thread scheduling.
 */
public final class SlowFastHead extends AbstractBlock implements StateModule {
    private final int inChannels;
    private final int numClasses;
    private final float dropoutRatio;
    private final double initStd;
    private final Parameter weight;
    private final Parameter bias;
    private SplittableRandom dropoutRandom = new SplittableRandom(0);

    public SlowFastHead(int inChannels, int numClasses, double dropoutRatio, double initStd) {
        this.inChannels = inChannels;
        this.numClasses = numClasses;
        this.dropoutRatio = (float) dropoutRatio;
        this.initStd = initStd;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ZEROS).optShape(new Shape(numClasses, inChannels)).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(numClasses)).build());
    }

    /** Seeds the dropout masks of the following training forwards. */
    public void seedDropout(long seed) {
        dropoutRandom = new SplittableRandom(seed);
    }

    public int numClasses() {
        return numClasses;
    }

    double initStd() {
        return initStd;
    }

    Parameter weight() {
        return weight;
    }

    /** Pooled [fast | slow] features, N×(C_fast + C_slow). */
    static NDArray pool(NDArray slow, NDArray fast) {
        return globalAverage(fast).concat(globalAverage(slow), 1);
    }

    /** N×C×T×H×W to N×C: the mean over T×H×W (AdaptiveAvgPool3d(1), flattened). */
    static NDArray globalAverage(NDArray x) {
        Shape s = x.getShape();
        return x.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    }

    NDArray apply(ParameterStore ps, NDArray slow, NDArray fast, boolean training) {
        NDArray x = pool(slow, fast);
        if (dropoutRatio > 0 && training) {
            x = x.mul(dropoutMask(x));
        }
        return Linear.linear(x, ps.getValue(weight, x.getDevice(), training),
                ps.getValue(bias, x.getDevice(), training)).singletonOrThrow();
    }

    /** Inverted dropout: each element kept with probability 1 - p and scaled by 1 / (1 - p), as torch's. */
    private NDArray dropoutMask(NDArray x) {
        float[] mask = new float[Math.toIntExact(x.size())];
        float keep = 1f / (1f - dropoutRatio);
        for (int i = 0; i < mask.length; i++) {
            mask[i] = dropoutRandom.nextDouble() < dropoutRatio ? 0f : keep;
        }
        return x.getManager().create(mask, x.getShape());
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, inputs.get(0), inputs.get(1), training));
    }

    long macs(long batch) {
        return batch * inChannels * numClasses;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), numClasses)};
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        out.add(StateEntry.parameter(prefix + "fc_cls.weight", weight));
        out.add(StateEntry.parameter(prefix + "fc_cls.bias", bias));
    }
}
