package org.slowfast.model;

import ai.djl.ndarray.NDArray;

/**
 * Eager release of intermediate activations. Blocks close each intermediate as soon as the next one exists instead
 * of leaving it to the batch's manager: without this, one R50 view at 256² keeps about 1.6 GB of activations alive
 * until the batch closes. Autograd keeps its own references to whatever the backward pass needs, so this is safe in
 * training too. Convention: a block's {@code apply} never closes its input.
 */
final class Release {
    private Release() {}

    /** Closes {@code used} and returns {@code result} (which was computed from it). */
    static NDArray after(NDArray used, NDArray result) {
        used.close();
        return result;
    }
}
