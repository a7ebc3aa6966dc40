package org.slowfast.eval;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slowfast.SlowfastException;
import java.util.function.UnaryOperator;
import org.slowfast.config.LoadedConfig;
import org.slowfast.io.PthReader;
import org.slowfast.model.AverageClips;
import org.slowfast.model.Recognizer3D;
import org.slowfast.model.StateDicts;
import org.slowfast.runtime.CpuThreads;

/**
 * A {@link Recognizer3D} ready for testing on one device: built from the config, with a checkpoint's state dict
 * loaded strictly (or seeded initial weights when there is none, as MMAction2's benchmark).
 */
public final class InferenceModel implements AutoCloseable {
    private final Recognizer3D model;
    private final NDManager manager;
    private final ParameterStore parameters;
    private final AverageClips averageClips;

    private InferenceModel(Recognizer3D model, NDManager manager, AverageClips averageClips) {
        this.model = model;
        this.manager = manager;
        this.parameters = new ParameterStore(manager, false);
        this.averageClips = averageClips;
    }

    /**
     * Builds the config's model on {@code device}; loads {@code checkpoint} (any .pth PthReader reads) strictly when
     * given. {@code averageClips} overrides {@code test_cfg.average_clips} when not null.
     */
    public static InferenceModel load(LoadedConfig cfg, Path checkpoint, Device device, AverageClips averageClips) {
        Recognizer3D model = Recognizer3D.build(cfg);
        NDManager manager = NDManager.newBaseManager(device);
        try {
            // parameter shapes depend on channels only; any clip the model accepts will do
            int clipLen = TestInputShape.clipLen(cfg.config().data().test().base().pipeline(), "data.test.pipeline");
            model.initializeWeights(manager, DataType.FLOAT32, 0, new Shape(1, 3, clipLen, 64, 64));
            if (checkpoint != null) {
                StateDicts.load(model, PthReader.read(checkpoint).stateDict(), true, checkpoint.toString());
            }
            return new InferenceModel(model, manager, averageClips != null ? averageClips : model.averageClips());
        } catch (RuntimeException e) {
            manager.close();
            throw e;
        }
    }

    /** Fails with one line unless {@code checkpoint} is a file (checked before any work starts). */
    public static void requireCheckpoint(Path checkpoint) {
        if (!Files.isRegularFile(checkpoint)) {
            throw new SlowfastException(checkpoint + ": no such checkpoint file");
        }
    }

    /**
     * Scores of a batch of B videos given as {@code B×V×3×T×H×W} floats (row-major): B rows of K averaged scores,
     * or B·V rows of logits for {@link AverageClips#NONE}.
     */
    public float[][] predict(float[] views, long[] shape) {
        return forward(views, shape, input -> model.predict(parameters, input, averageClips));
    }

    /**
     * One forward of {@code compute} on the input, with every core and without autograd recording on whichever
     * thread runs it (torch's grad mode is per thread and on in a new one, e.g. a multi-GPU test worker).
     */
    private float[][] forward(float[] views, long[] shape, UnaryOperator<NDArray> compute) {
        CpuThreads.useAllCoresForInference();
        boolean recording = JniUtils.isGradMode();
        JniUtils.setGradMode(false);
        try (NDManager scope = manager.newSubManager()) {
            return rows(compute.apply(scope.create(views, new Shape(shape))));
        } finally {
            JniUtils.setGradMode(recording);
        }
    }

    private static float[][] rows(NDArray matrix) {
        int rows = Math.toIntExact(matrix.getShape().get(0));
        int columns = Math.toIntExact(matrix.getShape().get(1));
        float[] flat = matrix.toFloatArray();
        float[][] out = new float[rows][columns];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(flat, r * columns, out[r], 0, columns);
        }
        return out;
    }

    /**
     * Features of a batch of B videos (as {@link #predict}): B·V rows of pooled backbone features, see
     * {@link Recognizer3D#extractFeatures}.
     */
    public float[][] features(float[] views, long[] shape) {
        return forward(views, shape, input -> model.extractFeatures(parameters, input));
    }

    /** Folds every BN into its conv (test {@code --fuse-conv-bn}); returns how many were folded. */
    public int fuseConvBn() {
        return model.fuseConvBn();
    }

    public int numClasses() {
        return model.numClasses();
    }

    public AverageClips averageClips() {
        return averageClips;
    }

    @Override
    public void close() {
        manager.close();
    }
}
