package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;

/**
 * The trainable parameters of one CPU model and their gradients as views of two flat buffers, as apex's flat master
 * weights and DDP's gradient buckets: the storage of every parameter and of its {@code .grad} is re-pointed into a
 * {@link FlatBuffer}, laid out segment by segment (a segment: parameters that share their optimizer
 * hyper-parameters). Backward accumulates into the views in place, so an optimizer step, a gradient clip, a replica
 * average or a cross-process all-reduce is one pass over a buffer, not several native calls per parameter.
 */
public final class FlatParameters {
    private final List<Parameter> params;
    private final List<List<Integer>> segments;
    private final long[] offsets;
    private final long[] segmentStarts;
    private final long[] segmentLengths;
    private final FlatBuffer values;
    private final boolean ownsValues;
    private final FlatBuffer grads;

    /**
     * Re-points the parameters listed in {@code segments} (indices into {@code params}; trainable, float32, CPU)
     * into flat buffers. Gradients start at zero.
     */
    FlatParameters(List<Parameter> params, List<List<Integer>> segments) {
        this(params, segments, null);
    }

    /**
     * As above, but with the values of {@code valuesOf} (the same layout) instead of a buffer of their own: a data
     * parallel replica reads replica 0's parameters, which only the optimizer step writes, between the replicas'
     * forward and backward passes, so no copy to the replicas is needed. Its own gradients stay separate.
     */
    FlatParameters(List<Parameter> params, List<List<Integer>> segments, FlatParameters valuesOf) {
        this.params = params;
        this.segments = segments;
        offsets = new long[params.size()];
        segmentStarts = new long[segments.size()];
        segmentLengths = new long[segments.size()];
        long total = 0;
        for (int s = 0; s < segments.size(); s++) {
            segmentStarts[s] = total;
            for (int i : segments.get(s)) {
                offsets[i] = total;
                total += params.get(i).getArray().size();
            }
            segmentLengths[s] = total - segmentStarts[s];
        }
        ownsValues = valuesOf == null;
        values = ownsValues ? newBuffer() : valuesOf.values;
        grads = newBuffer();
        bindParameters();
    }

    /** A zeroed buffer with this layout (e.g. momentum). */
    FlatBuffer newBuffer() {
        long total = segmentStarts.length == 0 ? 0 : segmentStarts[segmentStarts.length - 1]
                + segmentLengths[segmentLengths.length - 1];
        return new FlatBuffer(Math.toIntExact(total));
    }

    /** A first backward creates every {@code .grad}; later backwards accumulate into it in place. */
    private void defineGradients() {
        Autograd.withGrad(() -> {
            NDArray total = null;
            for (int i : indices()) {
                NDArray s = params.get(i).getArray().sum();
                total = total == null ? s : total.add(s);
            }
            Autograd.backward(total);
            return null;
        });
    }

    /**
     * Copies every parameter's current values into the flat buffer (unless the values are shared) and points the
     * parameter and its gradient at their slices; the gradients restart at zero. Needed after anything replaced a
     * parameter's tensor (loading a state dict swaps in fresh tensors, which have no {@code .grad} yet).
     */
    void bindParameters() {
        defineGradients();
        for (int i : indices()) {
            NDArray w = params.get(i).getArray();
            if (ownsValues) {
                values.write(offsets[i], w.toFloatArray());
            }
            w.set(values.slice(offsets[i], w.size()));
            try (NDArray g = w.getGradient()) {
                g.set(grads.slice(offsets[i], g.size()));
            }
        }
        grads.fill(0f);
    }

    private List<Integer> indices() {
        return segments.stream().flatMap(List::stream).toList();
    }

    /** Number of trainable values. */
    public int size() {
        return grads.size();
    }

    List<List<Integer>> segments() {
        return segments;
    }

    /** Where segment {@code s} starts in the flat layout. */
    int segmentStart(int s) {
        return Math.toIntExact(segmentStarts[s]);
    }

    /** Where segment {@code s} ends (exclusive). */
    int segmentEnd(int s) {
        return Math.toIntExact(segmentStarts[s] + segmentLengths[s]);
    }

    /** Where parameter {@code i} starts in the flat layout. */
    long offset(int i) {
        return offsets[i];
    }

    FlatBuffer values() {
        return values;
    }

    FlatBuffer grads() {
        return grads;
    }

    /** Copies the gradients out, in flat order (e.g. for a cross-process all-reduce). */
    public void readGradients(float[] out) {
        grads.read(0, out);
    }

    /** Overwrites the gradients with {@code in}, in flat order. */
    public void writeGradients(float[] in) {
        grads.write(0, in);
    }
}
