package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.List;

/**
 * The 3-D bottleneck of MMAction2's ResNet3d ('pytorch' style, '3x1x1' inflation): conv1 1×1×1 (3×1×1 when inflated)
 * → conv2 1×3×3 carrying the stride → conv3 1×1×1 to 4·planes, plus the identity or a strided 1×1×1 downsample.
 */
public final class Bottleneck3d extends AbstractBlock implements StateModule {
    public static final int EXPANSION = 4;

    private final ConvModule conv1;
    private final ConvModule conv2;
    private final ConvModule conv3;
    private final ConvModule downsample;

    /**
     * @param inplanes input channels
     * @param planes bottleneck width (output is 4·planes)
     * @param spatialStride stride of conv2 and the downsample in H and W
     * @param temporalStride stride of conv2 and the downsample in T
     * @param dilation spatial dilation of conv2
     * @param inflate whether conv1 has temporal kernel 3
     * @param withDownsample whether the identity path is a 1×1×1 conv + BN
     */
    public Bottleneck3d(int inplanes, int planes, int spatialStride, int temporalStride, int dilation,
            boolean inflate, boolean withDownsample) {
        conv1 = addChildBlock("conv1", ConvModule.builder().channels(inplanes, planes)
                .kernel(inflate ? 3 : 1, 1, 1).padding(inflate ? 1 : 0, 0, 0).build());
        conv2 = addChildBlock("conv2", ConvModule.builder().channels(planes, planes).kernel(1, 3, 3)
                .stride(temporalStride, spatialStride, spatialStride).padding(0, dilation, dilation)
                .dilation(1, dilation, dilation).build());
        conv3 = addChildBlock("conv3", ConvModule.builder().channels(planes, planes * EXPANSION).kernel(1, 1, 1)
                .relu(false).build());
        downsample = withDownsample
                ? addChildBlock("downsample", ConvModule.builder().channels(inplanes, planes * EXPANSION)
                        .kernel(1, 1, 1).stride(temporalStride, spatialStride, spatialStride).relu(false).build())
                : null;
    }

    /** The last BN of the residual branch ({@code conv3.bn}), zero-initialised when {@code zero_init_residual}. */
    BatchNorm3d lastBn() {
        return conv3.bn();
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray out = conv1.apply(ps, x, training);
        out = Release.after(out, conv2.apply(ps, out, training));
        out = Release.after(out, conv3.apply(ps, out, training));
        // in place, as MMAction2's `out += identity`: the BN before it does not need its output for backward
        if (downsample != null) {
            try (NDArray identity = downsample.apply(ps, x, training)) {
                out.addi(identity);
            }
        } else {
            out.addi(x);
        }
        return Release.after(out, Activation.relu(out));
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    Shape outputShape(Shape in) {
        return conv3.outputShape(conv2.outputShape(conv1.outputShape(in)));
    }

    long macs(Shape in) {
        Shape s1 = conv1.outputShape(in);
        Shape s2 = conv2.outputShape(s1);
        return conv1.macs(in) + conv2.macs(s1) + conv3.macs(s2) + (downsample != null ? downsample.macs(in) : 0);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s1 = conv1.outputShape(inputShapes[0]);
        conv1.initialize(manager, dataType, inputShapes[0]);
        conv2.initialize(manager, dataType, s1);
        conv3.initialize(manager, dataType, conv2.outputShape(s1));
        if (downsample != null) {
            downsample.initialize(manager, dataType, inputShapes[0]);
        }
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        conv1.collectState(prefix + "conv1.", out);
        conv2.collectState(prefix + "conv2.", out);
        conv3.collectState(prefix + "conv3.", out);
        if (downsample != null) {
            downsample.collectState(prefix + "downsample.", out);
        }
    }
}
