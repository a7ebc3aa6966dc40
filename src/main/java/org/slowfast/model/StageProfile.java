package org.slowfast.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

/** One row of the model profile: a module, its multiply-accumulates for one input and its output shape. */
public record StageProfile(String name, Block block, long macs, Shape outputShape) {
    /** Parameters of the module (trainable or not). */
    public long parameters() {
        return block.getParameters().values().stream()
                .filter(p -> p.getType() != ai.djl.nn.Parameter.Type.RUNNING_MEAN
                        && p.getType() != ai.djl.nn.Parameter.Type.RUNNING_VAR)
                .mapToLong(p -> p.getShape().size()).sum();
    }
}
