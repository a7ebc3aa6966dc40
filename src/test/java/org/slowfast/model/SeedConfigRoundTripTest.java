package org.slowfast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.config.LoadedConfig;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.io.PthWriter;
import org.slowfast.io.Tensor;

/**
 * Every seed config's model (depths, τ, α, fusion kernel, class count as configured; widths shrunk to slow base 8,
 * fast base 1 to stay small) survives state dict → .pth → state dict → strict load with identical values and logits,
 * and has exactly the full-size model's keys in the same order.
 */
class SeedConfigRoundTripTest {
    static final List<String> NARROW = List.of("model.backbone.slow_pathway.base_channels=8",
            "model.backbone.fast_pathway.base_channels=1", "model.cls_head.in_channels=288");

    @TempDir
    Path tmp;

    @ParameterizedTest
    @MethodSource("org.slowfast.config.SeedConfigsTest#seeds")
    void checkpointRoundTrip(String name) {
        Path config = Path.of("configs/recognition/slowfast", name + ".yaml");
        Recognizer3D full = Recognizer3D.build(LoadedConfig.load(config, List.of()));
        Shape input = new Shape(2, 3, 8, 32, 32);
        try (NDManager manager = NDManager.newBaseManager()) {
            ParameterStore ps = new ParameterStore(manager, false);
            Recognizer3D a = Recognizer3D.build(LoadedConfig.load(config, NARROW));
            assertEquals(List.copyOf(StateDicts.shapes(full).keySet()), List.copyOf(StateDicts.shapes(a).keySet()));
            a.initializeWeights(manager, DataType.FLOAT32, 1, input);
            NDArray x = TinyModels.input(manager, input, 2);
            a.forward(ps, new NDList(x), true);
            LinkedHashMap<String, Tensor> state = StateDicts.stateDict(a);
            Path file = tmp.resolve(name + ".pth");
            PthWriter.write(file, new Checkpoint(new LinkedHashMap<>(), state, null));

            Recognizer3D b = Recognizer3D.build(LoadedConfig.load(config, NARROW));
            b.initializeWeights(manager, DataType.FLOAT32, 2, input);
            StateDicts.load(b, PthReader.read(file).stateDict(), true, file.toString());
            LinkedHashMap<String, Tensor> back = StateDicts.stateDict(b);
            assertEquals(List.copyOf(state.keySet()), List.copyOf(back.keySet()));
            for (String k : state.keySet()) {
                assertEquals(state.get(k).dtype(), back.get(k).dtype(), k);
                assertArrayEquals(state.get(k).toFloats(), back.get(k).toFloats(), k);
            }
            assertArrayEquals(a.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray(),
                    b.forward(ps, new NDList(x), false).singletonOrThrow().toFloatArray());
        }
    }
}
