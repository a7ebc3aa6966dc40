package org.slowfast.train;

import ai.djl.nn.Parameter;
import java.util.Collection;
import org.slowfast.SlowfastException;
import org.slowfast.runtime.Collective;

/**
 * Checks with one all-reduce that every process holds bit-identical trainable parameters (a 64-bit hash of their
 * bits), as synchronous data parallelism promises; stops the run with a clear error when they diverged.
 */
final class ParameterChecksum {
    private ParameterChecksum() {}

    /** Throws when a rank's parameters differ from rank 0's; {@code when} says where in the run ("after epoch 3"). */
    static void verify(Collective collective, Collection<Parameter> parameters, String when) {
        if (collective.worldSize() == 1) {
            return;
        }
        long[] all = collective.allGather(hash(parameters));
        for (int r = 1; r < all.length; r++) {
            if (all[r] != all[0]) {
                throw new SlowfastException("the model parameters of rank " + r + " differ from rank 0's " + when
                        + " (the processes no longer train the same model; was each started with the same config "
                        + "and checkpoint?)");
            }
        }
    }

    /** FNV-1a over the raw bits of every trainable parameter, in order. */
    static long hash(Collection<Parameter> parameters) {
        long h = 0xcbf29ce484222325L;
        for (Parameter p : parameters) {
            if (!p.requiresGradient()) {
                continue;
            }
            for (float v : p.getArray().toFloatArray()) {
                h = (h ^ Float.floatToRawIntBits(v)) * 0x100000001b3L;
            }
        }
        return h;
    }
}
