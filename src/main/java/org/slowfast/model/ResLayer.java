package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import java.util.ArrayList;
import java.util.List;

/** One ResNet stage ({@code layerN}, i.e. res2..res5): bottlenecks named 0, 1, …; only the first one strides. */
public final class ResLayer extends AbstractBlock implements StateModule {
    private final List<Bottleneck3d> blocks = new ArrayList<>();

    /**
     * @param inplanes channels entering the stage (including fused lateral channels)
     * @param planes bottleneck width of the stage
     * @param numBlocks number of bottlenecks
     * @param spatialStride, temporalStride, dilation, inflate see {@link Bottleneck3d}
     */
    public ResLayer(int inplanes, int planes, int numBlocks, int spatialStride, int temporalStride, int dilation,
            boolean inflate) {
        boolean downsample = spatialStride != 1 || temporalStride != 1 || inplanes != planes * Bottleneck3d.EXPANSION;
        for (int i = 0; i < numBlocks; i++) {
            blocks.add(addChildBlock(String.valueOf(i), i == 0
                    ? new Bottleneck3d(inplanes, planes, spatialStride, temporalStride, dilation, inflate, downsample)
                    : new Bottleneck3d(planes * Bottleneck3d.EXPANSION, planes, 1, 1, dilation, inflate, false)));
        }
    }

    List<Bottleneck3d> blocks() {
        return blocks;
    }

    NDArray apply(ParameterStore ps, NDArray x, boolean training) {
        NDArray y = x;
        for (Bottleneck3d b : blocks) {
            NDArray next = b.apply(ps, y, training);
            if (y != x) {
                y.close();
            }
            y = next;
        }
        return y;
    }

    @Override
    protected NDList forwardInternal(ParameterStore ps, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(ps, inputs.singletonOrThrow(), training));
    }

    Shape outputShape(Shape in) {
        for (Bottleneck3d b : blocks) {
            in = b.outputShape(in);
        }
        return in;
    }

    long macs(Shape in) {
        long total = 0;
        for (Bottleneck3d b : blocks) {
            total += b.macs(in);
            in = b.outputShape(in);
        }
        return total;
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {outputShape(inputShapes[0])};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        Shape s = inputShapes[0];
        for (Bottleneck3d b : blocks) {
            b.initialize(manager, dataType, s);
            s = b.outputShape(s);
        }
    }

    @Override
    public void collectState(String prefix, List<StateEntry> out) {
        for (int i = 0; i < blocks.size(); i++) {
            blocks.get(i).collectState(prefix + i + ".", out);
        }
    }
}
