package org.slowfast.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import org.slowfast.config.LoadedConfig;

/** The tiny test model (slow base 8, fast base 2, τ=α=4, 5 classes) and deterministic inputs. */
final class TinyModels {
    static final Path CONFIG = Path.of("src/test/resources/model/tiny.yaml");
    static final Shape INPUT = new Shape(2, 3, 8, 32, 32);

    private TinyModels() {}

    static Recognizer3D build(String... options) {
        return Recognizer3D.build(LoadedConfig.load(CONFIG, List.of(options)));
    }

    static Recognizer3D initialized(NDManager manager, long seed, String... options) {
        Recognizer3D m = build(options);
        m.initializeWeights(manager, DataType.FLOAT32, seed, INPUT);
        return m;
    }

    static NDArray input(NDManager manager, Shape shape, long seed) {
        Random r = new Random(seed);
        float[] v = new float[Math.toIntExact(shape.size())];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return manager.create(v, shape);
    }
}
