package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Parameter;
import java.util.List;
import org.slowfast.runtime.Collective;

/**
 * Averages the main replica's gradients over the processes of a multi-process job (DDP's gradient all-reduce): all
 * trainable gradients in one float buffer (read straight from the flat gradient buffer of CPU training, else packed
 * parameter by parameter), one all-reduce, divided by the world size and written back, before clipping and the SGD
 * step, so every process applies the same update.
 */
final class GradientAllReduce {
    private final Collective collective;
    private float[] buffer = new float[0];

    GradientAllReduce(Collective collective) {
        this.collective = collective;
    }

    /** Replaces each trainable gradient by its mean over all processes; {@code flat} (nullable) holds them all. */
    void average(FlatParameters flat, List<Parameter> parameters) {
        if (collective.worldSize() == 1) {
            return;
        }
        if (flat != null) {
            if (buffer.length != flat.size()) {
                buffer = new float[flat.size()];
            }
            flat.readGradients(buffer);
            collective.allReduce(buffer);
            float scale = 1f / collective.worldSize();
            for (int i = 0; i < buffer.length; i++) {
                buffer[i] *= scale;
            }
            flat.writeGradients(buffer);
            return;
        }
        int total = 0;
        for (Parameter p : parameters) {
            if (p.requiresGradient()) {
                total += Math.toIntExact(p.getArray().size());
            }
        }
        if (buffer.length != total) {
            buffer = new float[total];
        }
        int at = 0;
        for (Parameter p : parameters) {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient()) {
                    float[] values = g.toFloatArray();
                    System.arraycopy(values, 0, buffer, at, values.length);
                    at += values.length;
                }
            }
        }
        collective.allReduce(buffer);
        float scale = 1f / collective.worldSize();
        at = 0;
        for (Parameter p : parameters) {
            if (p.requiresGradient()) {
                try (NDArray g = p.getArray().getGradient()) {
                    int n = Math.toIntExact(g.size());
                    float[] mean = new float[n];
                    for (int i = 0; i < n; i++) {
                        mean[i] = buffer[at + i] * scale;
                    }
                    at += n;
                    try (NDArray src = g.getManager().create(mean, g.getShape())) {
                        g.muli(0f).addi(src); // in place on the live .grad (copyTo would re-point the handle)
                    }
                }
            }
        }
    }
}
