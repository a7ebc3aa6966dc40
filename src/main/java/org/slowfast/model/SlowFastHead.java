package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.Dropout;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.List;

/**
 * {@code SlowFastHead}: global average pooling of each pathway, concatenation as [fast | slow] (MMAction2's order:
 * {@code fc_cls.weight[:, :C_fast]} multiplies the fast features), dropout, then {@code fc_cls} with bias.
 */
public final class SlowFastHead extends AbstractBlock implements StateModule {
    private final int inChannels;
    private final int numClasses;
    private final float dropoutRatio;
    private final double initStd;
    private final Parameter weight;
    private final Parameter bias;

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
            x = Dropout.dropout(x, dropoutRatio, true).singletonOrThrow();
        }
        return Linear.linear(x, ps.getValue(weight, x.getDevice(), training),
                ps.getValue(bias, x.getDevice(), training)).singletonOrThrow();
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
