package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * {@code nn.BatchNorm3d} with torch semantics: momentum 0.1 (torch convention, new = (1-m)·old + m·batch), eps 1e-5,
 * unbiased running variance, and a {@code num_batches_tracked} counter. In {@linkplain #setEvalMode eval mode}
 * ({@code norm_eval}, frozen stages) it normalises with the running statistics even in a training forward and leaves
 * them alone.
 */
public final class BatchNorm3d extends AbstractBlock implements StateModule {
    public static final double DEFAULT_MOMENTUM = 0.1;
    public static final double EPS = 1e-5;

    private final int channels;
    private final Parameter weight;
    private final Parameter bias;
    private final Parameter runningMean;
    private final Parameter runningVar;
    private long numBatchesTracked;
    private double momentum = DEFAULT_MOMENTUM;
    private boolean evalMode;

    public BatchNorm3d(int channels) {
        this.channels = channels;
        Shape s = new Shape(channels);
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.GAMMA).optShape(s).build());
        bias = addParameter(Parameter.builder().setName("bias").setType(Parameter.Type.BETA).optShape(s).build());
        runningMean = addParameter(Parameter.builder().setName("running_mean").setType(Parameter.Type.RUNNING_MEAN)
                .optShape(s).optRequiresGrad(false).build());
        runningVar = addParameter(Parameter.builder().setName("running_var").setType(Parameter.Type.RUNNING_VAR)
                .optShape(s).optRequiresGrad(false).build());
    }

    public int channels() {
        return channels;
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }

    public Parameter runningMean() {
        return runningMean;
    }

    public Parameter runningVar() {
        return runningVar;
    }

    public long numBatchesTracked() {
        return numBatchesTracked;
    }

    public void setNumBatchesTracked(long n) {
        numBatchesTracked = n;
    }

    /** Overwrites the running statistics (precise BN writes back its averages), converting to the array dtype. */
    public void setRunningStatistics(float[] mean, float[] var) {
        TensorArrays.write(runningMean.getArray(), mean);
        TensorArrays.write(runningVar.getArray(), var);
    }

    /** Torch-convention momentum (0.1 by default; precise BN sets 1.0 to make the running stats the batch stats). */
    public double momentum() {
        return momentum;
    }

    public void setMomentum(double momentum) {
        this.momentum = momentum;
    }

    /** True when a training forward normalises with batch statistics and updates the running ones. */
    public boolean usesBatchStatistics() {
        return !evalMode;
    }

    /** Forces eval behaviour (running statistics, no updates) also in training forwards. */
    public void setEvalMode(boolean evalMode) {
        this.evalMode = evalMode;
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        boolean batchStats = training && !evalMode;
        if (batchStats) {
            numBatchesTracked++;
        }
        var device = x.getDevice();
        return JniUtils.batchNorm((PtNDArray) x,
                (PtNDArray) ps.getValue(runningMean, device, training),
                (PtNDArray) ps.getValue(runningVar, device, training),
                (PtNDArray) ps.getValue(weight, device, training),
                (PtNDArray) ps.getValue(bias, device, training),
                batchStats, momentum, EPS);
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return inputShapes;
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        out.add(StateEntry.parameter(prefix + "weight", weight));
        out.add(StateEntry.parameter(prefix + "bias", bias));
        out.add(StateEntry.buffer(prefix + "running_mean", runningMean));
        out.add(StateEntry.buffer(prefix + "running_var", runningVar));
        out.add(StateEntry.counter(prefix + "num_batches_tracked", this));
    }
}
