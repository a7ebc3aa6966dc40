package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.convolutional.Conv3d;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.util.PairList;
import java.util.List;

/** mmcv's {@code ConvModule} for 3-D: Conv3d without bias, then optional BatchNorm3d, then optional ReLU. */
public final class ConvModule extends AbstractBlock implements StateModule {
    private final int inChannels;
    private final int outChannels;
    private final Shape kernel;
    private final Shape stride;
    private final Shape padding;
    private final Shape dilation;
    /**
     * The dilation given to libtorch on the CPU. For a T×1×1 kernel (T > 1) its CPU backend takes the unfolding path
     * on one intra-op thread (the rule meant for 1×1 kernels looks only at H and W), 1.3–4.5× slower than oneDNN for
     * SlowFast's temporal convolutions; dilating the size-1 H and W dims changes nothing in the arithmetic and selects
     * oneDNN (docs/benchmarks.md, "Threads").
     */
    private final Shape cpuDilation;
    private final boolean relu;
    private final Parameter weight;
    private final BatchNorm3d bn;
    private NDArray fusedBias; // the BN's shift once folded into the conv (fuseBn), else null

    private ConvModule(Builder b) {
        inChannels = b.inChannels;
        outChannels = b.outChannels;
        kernel = b.kernel;
        stride = b.stride;
        padding = b.padding;
        dilation = b.dilation;
        cpuDilation = kernel.get(0) > 1 && kernel.get(1) == 1 && kernel.get(2) == 1
                ? new Shape(dilation.get(0), 2, 2) : dilation;
        relu = b.relu;
        weight = addParameter(Parameter.builder().setName("weight").setType(Parameter.Type.WEIGHT)
                .optInitializer(Initializer.ZEROS)
                .optShape(new Shape(outChannels, inChannels, kernel.get(0), kernel.get(1), kernel.get(2))).build());
        bn = b.norm ? addChildBlock("bn", new BatchNorm3d(outChannels)) : null;
    }

    public static Builder builder() {
        return new Builder();
    }

    public Parameter weight() {
        return weight;
    }

    /** The BN, or null without norm. */
    public BatchNorm3d bn() {
        return bn;
    }

    /**
     * Folds the BN into the conv for inference, as mmcv's {@code fuse_conv_bn}: with f = γ / √(running_var + ε),
     * the weight becomes w·f (per output channel) and the conv gains the bias β − running_mean·f; the BN is skipped
     * from then on. The state dict no longer holds the trained weights, so the model is for inference only.
     * Returns false when there is no BN (or it is already folded).
     */
    boolean fuseBn() {
        if (bn == null || fusedBias != null) {
            return false;
        }
        float[] w = weight.getArray().toFloatArray();
        float[] gamma = bn.weight().getArray().toFloatArray();
        float[] beta = bn.bias().getArray().toFloatArray();
        float[] mean = bn.runningMean().getArray().toFloatArray();
        float[] var = bn.runningVar().getArray().toFloatArray();
        float[] bias = new float[outChannels];
        int perChannel = w.length / outChannels;
        for (int c = 0; c < outChannels; c++) {
            double f = gamma[c] / Math.sqrt(var[c] + BatchNorm3d.EPS);
            for (int i = c * perChannel; i < (c + 1) * perChannel; i++) {
                w[i] = (float) (w[i] * f);
            }
            bias[c] = (float) (beta[c] - mean[c] * f);
        }
        TensorArrays.write(weight.getArray(), w);
        NDArray b = weight.getArray().getManager().create(bias);
        fusedBias = b.getDataType() == weight.getArray().getDataType() ? b
                : Release.after(b, b.toType(weight.getArray().getDataType(), false));
        return true;
    }

    /** Runs the module; the input stays open, every intermediate is closed (see {@link Release}). */
    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray w = ps.getValue(weight, x.getDevice(), training);
        Shape d = x.getDevice().isGpu() ? dilation : cpuDilation;
        if (fusedBias != null) {
            NDArray y = Conv3d.conv3d(x, w, fusedBias, stride, padding, d, 1).singletonOrThrow();
            return relu ? Release.after(y, Activation.relu(y)) : y;
        }
        NDArray y = Conv3d.conv3d(x, w, null, stride, padding, d, 1).singletonOrThrow();
        if (bn != null) {
            y = Release.after(y, bn.apply(ps, y, training));
        }
        return relu ? Release.after(y, Activation.relu(y)) : y;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    /** The output shape for an N×C×T×H×W input. */
    Shape outputShape(Shape in) {
        long[] s = {in.get(0), outChannels, 0, 0, 0};
        for (int i = 0; i < 3; i++) {
            s[i + 2] = Math.floorDiv(in.get(i + 2) + 2 * padding.get(i) - dilation.get(i) * (kernel.get(i) - 1) - 1,
                    stride.get(i)) + 1;
        }
        return new Shape(s);
    }

    /** Multiply-accumulates of the convolution for an input of this shape (BN and ReLU are not counted). */
    long macs(Shape in) {
        return outputShape(in).size() * inChannels * kernel.size();
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        if (bn != null) {
            bn.initialize(manager, dataType, outputShape(inputShapes[0]));
        }
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        out.add(StateEntry.parameter(prefix + "conv.weight", weight));
        if (bn != null) {
            bn.collectState(prefix + "bn.", out);
        }
    }

    /** Builder: channels and kernel are required; stride 1, padding 0, dilation 1, BN and ReLU by default. */
    public static final class Builder {
        private int inChannels;
        private int outChannels;
        private Shape kernel;
        private Shape stride = new Shape(1, 1, 1);
        private Shape padding = new Shape(0, 0, 0);
        private Shape dilation = new Shape(1, 1, 1);
        private boolean norm = true;
        private boolean relu = true;

        public Builder channels(int in, int out) {
            inChannels = in;
            outChannels = out;
            return this;
        }

        public Builder kernel(long t, long h, long w) {
            kernel = new Shape(t, h, w);
            return this;
        }

        public Builder stride(long t, long h, long w) {
            stride = new Shape(t, h, w);
            return this;
        }

        public Builder padding(long t, long h, long w) {
            padding = new Shape(t, h, w);
            return this;
        }

        public Builder dilation(long t, long h, long w) {
            dilation = new Shape(t, h, w);
            return this;
        }

        public Builder norm(boolean norm) {
            this.norm = norm;
            return this;
        }

        public Builder relu(boolean relu) {
            this.relu = relu;
            return this;
        }

        public ConvModule build() {
            return new ConvModule(this);
        }
    }
}
