package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.io.Tensor;

/** MMAction2 state dicts of a {@link Recognizer3D}: export, shapes, and strict or lenient loading. */
public final class StateDicts {
    private static final Logger LOG = LoggerFactory.getLogger(StateDicts.class);
    private static final int MAX_LISTED = 10;

    private StateDicts() {}

    /** Every key in MMAction2's order with float32 values (num_batches_tracked: int64 scalars). */
    public static LinkedHashMap<String, Tensor> stateDict(Recognizer3D model) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (StateEntry e : model.stateEntries()) {
            if (e.kind() == StateEntry.Kind.COUNTER) {
                out.put(e.key(), Tensor.ofLongs(new long[0], new long[] {e.counterOwner().numBatchesTracked()}));
            } else {
                NDArray a = e.parameter().getArray();
                float[] values = a.getDataType() == DataType.FLOAT32 ? a.toFloatArray() : toFloats(a);
                out.put(e.key(), Tensor.ofFloats(a.getShape().getShape(), values));
            }
        }
        return out;
    }

    private static float[] toFloats(NDArray a) {
        try (NDArray f = a.toType(DataType.FLOAT32, true)) {
            return f.toFloatArray();
        }
    }

    /** Every key with its shape, from the model's structure alone (no allocated weights needed). */
    public static LinkedHashMap<String, long[]> shapes(Recognizer3D model) {
        LinkedHashMap<String, long[]> out = new LinkedHashMap<>();
        for (StateEntry e : model.stateEntries()) {
            out.put(e.key(), e.shape().getShape());
        }
        return out;
    }

    /** Keys that did not load: absent from the source, unknown to the model, or of another shape. */
    public record LoadResult(List<String> missing, List<String> unexpected, List<String> shapeMismatched) {}

    /** The keys of a state dict that load into a model, and those that do not. */
    private record Match(LoadResult result, List<StateEntry> loadable) {}

    /**
     * Fails as {@link #load} would, without touching the model (which needs no weights): strict, on any
     * missing, unexpected or shape-mismatched key; lenient, when no key matches at all.
     */
    public static LoadResult check(Recognizer3D model, Map<String, Tensor> state, boolean strict, String source) {
        return match(model, state, strict, source).result();
    }

    private static Match match(Recognizer3D model, Map<String, Tensor> state, boolean strict, String source) {
        List<String> missing = new ArrayList<>();
        List<String> mismatched = new ArrayList<>();
        Set<String> unexpected = new LinkedHashSet<>(state.keySet());
        List<StateEntry> loadable = new ArrayList<>();
        for (StateEntry e : model.stateEntries()) {
            unexpected.remove(e.key());
            Tensor t = state.get(e.key());
            if (t == null) {
                missing.add(e.key());
            } else if (!Arrays.equals(t.shape(), e.shape().getShape())) {
                mismatched.add(e.key() + " " + Arrays.toString(t.shape()) + " in checkpoint vs "
                        + Arrays.toString(e.shape().getShape()) + " in model");
            } else {
                loadable.add(e);
            }
        }
        LoadResult result = new LoadResult(missing, new ArrayList<>(unexpected), mismatched);
        if (strict && (!missing.isEmpty() || !unexpected.isEmpty() || !mismatched.isEmpty())) {
            List<String> parts = new ArrayList<>();
            describe(parts, "missing keys", missing);
            describe(parts, "unexpected keys", result.unexpected());
            describe(parts, "shape mismatch", mismatched);
            throw new SlowfastException(source + ": state dict does not match the model: " + String.join("; ", parts));
        }
        if (loadable.isEmpty()) {
            throw new SlowfastException(source + ": no key of the checkpoint matches the model (" + state.size()
                    + " keys, for example " + String.join(", ", state.keySet().stream().limit(3).toList())
                    + "); is it a checkpoint of another model?");
        }
        return new Match(result, loadable);
    }

    /**
     * Copies a state dict into an initialised model. Strict: any missing, unexpected or shape-mismatched key fails
     * with one line naming {@code source} (at most 10 keys of each kind, then a count) and nothing is loaded.
     * Lenient ({@code load_from}): matching keys load and one warning lists the others, as mmcv's
     * {@code load_state_dict}; a checkpoint with no matching key at all fails.
     */
    public static LoadResult load(Recognizer3D model, Map<String, Tensor> state, boolean strict, String source) {
        Match match = match(model, state, strict, source);
        LoadResult result = match.result();
        List<String> missing = result.missing();
        List<String> mismatched = result.shapeMismatched();
        List<StateEntry> loadable = match.loadable();
        if (!missing.isEmpty() || !result.unexpected().isEmpty() || !mismatched.isEmpty()) {
            List<String> parts = new ArrayList<>();
            describe(parts, "unexpected key in source state_dict", result.unexpected());
            describe(parts, "missing keys in source state_dict", missing);
            describe(parts, "size mismatch", mismatched);
            LOG.warn("{}: the model and loaded state dict do not match exactly; the {} matching keys are loaded\n{}",
                    source, loadable.size(), String.join("\n", parts));
        }
        for (StateEntry e : loadable) {
            Tensor t = state.get(e.key());
            if (e.kind() == StateEntry.Kind.COUNTER) {
                e.counterOwner().setNumBatchesTracked(t.dtype() == Tensor.DType.INT64
                        ? t.data().getLong(0) : (long) t.toFloats()[0]);
            } else {
                TensorArrays.write(e.parameter().getArray(), t.toFloats());
            }
        }
        return result;
    }

    private static void describe(List<String> parts, String what, List<String> keys) {
        if (keys.isEmpty()) {
            return;
        }
        String listed = String.join(", ", keys.subList(0, Math.min(MAX_LISTED, keys.size())));
        parts.add(what + " (" + keys.size() + "): " + listed
                + (keys.size() > MAX_LISTED ? ", ... and " + (keys.size() - MAX_LISTED) + " more" : ""));
    }
}
