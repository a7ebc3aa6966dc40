package org.slowfast.train;

import org.slowfast.data.BatchSource;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.model.Recognizer3D;
import org.slowfast.model.StateDicts;

/** The runner end to end on in-memory moving-square clips with the tiny model. */
class TrainerTest {
    static final Path CONFIG = Path.of("src/test/resources/train/tiny_train.yaml");
    static final ObjectMapper JSON = new ObjectMapper();

    static Trainer.Sources squares(int nanAtEpoch, int nanAtBatch) {
        return new Trainer.Sources() {
            @Override
            public BatchSource train(long seed) {
                return new MovingSquares(16, 4, 1, seed, nanAtEpoch, nanAtBatch);
            }

            @Override
            public BatchSource preciseBn(long seed) {
                return new MovingSquares(16, 4, 1, seed);
            }

            @Override
            public BatchSource val() {
                return new MovingSquares(8, 4, 2, null);
            }
        };
    }

    static Path train(Path workDir, Path resume, Trainer.Sources sources, String... options) {
        return train(workDir, resume, false, null, sources, options);
    }

    static Path train(Path workDir, Path resume, boolean autoResume, Path loadFrom, Trainer.Sources sources,
            String... options) {
        LoadedConfig cfg = LoadedConfig.load(CONFIG, List.of(options));
        return new Trainer(cfg, new Trainer.Options(workDir, 7, true, true, List.of(Device.cpu()), resume, autoResume,
                loadFrom), sources, null).run();
    }

    static List<JsonNode> lines(Path jsonLog, String mode) throws IOException {
        List<JsonNode> out = new ArrayList<>();
        for (String l : Files.readAllLines(jsonLog)) {
            JsonNode n = JSON.readTree(l);
            if (mode.equals(n.path("mode").asText())) {
                out.add(n);
            }
        }
        return out;
    }

    /** The train lines without the timing fields (time, data_time, memory). */
    static List<String> losses(Path jsonLog, int fromEpoch) throws IOException {
        List<String> out = new ArrayList<>();
        for (JsonNode n : lines(jsonLog, "train")) {
            if (n.path("epoch").asInt() >= fromEpoch) {
                out.add(n.path("epoch") + "/" + n.path("iter") + " lr=" + n.path("lr") + " loss=" + n.path("loss")
                        + " top1=" + n.path("top1_acc") + " grad_norm=" + n.path("grad_norm"));
            }
        }
        return out;
    }

    @Test
    void runWritesLogsCheckpointsBestAndCurves(@TempDir Path dir) throws IOException {
        Path log = train(dir, null, squares(-1, -1));
        List<JsonNode> train = lines(log, "train");
        assertEquals(4 * 2, train.size()); // 4 epochs x (4 iterations / interval 2)
        JsonNode first = train.get(0);
        assertEquals(List.of("mode", "epoch", "iter", "lr", "memory", "data_time", "top1_acc", "top5_acc",
                "loss_cls", "loss", "grad_norm", "time"), fieldNames(first));
        // linear warmup over 10 iterations from 0.1x; the line after iteration 2 logs the LR of iteration 2 (index 1)
        assertEquals(0.05 * (1 - (1 - 1 / 10.0) * 0.9), first.path("lr").asDouble(), 1e-5);
        // epoch 4 (0-based 3) is past the step: 0.005
        assertEquals(0.005, train.get(7).path("lr").asDouble(), 1e-9);
        List<JsonNode> val = lines(log, "val");
        assertEquals(List.of(2, 4), val.stream().map(v -> v.path("epoch").asInt()).toList());
        assertEquals(List.of("mode", "epoch", "iter", "lr", "top1_acc", "top5_acc", "mean_class_accuracy"),
                fieldNames(val.get(0)));
        JsonNode meta = JSON.readTree(Files.readAllLines(log).get(0));
        assertEquals(7, meta.path("seed").asInt());
        assertEquals("tiny_train.yaml", meta.path("config_name").asText());
        for (int e = 1; e <= 4; e++) {
            assertTrue(Files.exists(dir.resolve("epoch_" + e + ".pth")));
        }
        assertTrue(Files.exists(dir.resolve("tiny_train.yaml")));
        assertTrue(Files.size(dir.resolve("curves.png")) > 1000);
        assertTrue(Files.exists(log.resolveSibling(log.getFileName().toString().replace(".json", ""))));
        try (var best = Files.list(dir)) {
            assertEquals(1, best.filter(p -> p.getFileName().toString().startsWith("best_top1_acc_epoch_")).count());
        }
        Checkpoint latest = PthReader.read(dir.resolve("latest.pth"));
        assertEquals(4, ((Number) latest.meta().get("epoch")).intValue());
        assertEquals(16, ((Number) latest.meta().get("iter")).intValue());
        assertEquals(7, ((Number) latest.meta().get("seed")).intValue());
        assertNotNull(latest.meta().get("config"));
        Map<?, ?> state = (Map<?, ?>) latest.optimizer().get("state");
        assertEquals(Recognizer3D.build(LoadedConfig.load(CONFIG, List.of())).namedParameters().size(), state.size());
        try (NDManager m = NDManager.newBaseManager()) {
            Recognizer3D model = Recognizer3D.build(LoadedConfig.load(CONFIG, List.of()));
            model.initializeWeights(m, DataType.FLOAT32, 0, new Shape(1, 3, 8, 32, 32));
            StateDicts.load(model, latest.stateDict(), true, "latest.pth");
        }
    }

    @Test
    void seededRunsAreIdenticalAndResumeContinuesExactly(@TempDir Path dir) throws IOException {
        Path a = train(dir.resolve("a"), null, squares(-1, -1));
        Path b = train(dir.resolve("b"), null, squares(-1, -1));
        assertEquals(losses(a, 1), losses(b, 1));
        // a run killed after epoch 2 leaves epoch_2.pth (written atomically) and nothing else of use
        Path killed = dir.resolve("killed");
        Files.createDirectories(killed);
        Files.copy(dir.resolve("a/epoch_2.pth"), killed.resolve("epoch_2.pth"));
        Path resumed = train(killed, killed.resolve("epoch_2.pth"), squares(-1, -1));
        assertEquals(losses(a, 3), losses(resumed, 1));
        assertEquals(lines(a, "val").get(1).toString(), lines(resumed, "val").get(0).toString());
    }

    @Test
    void autoResumeTakesLatestAndLoadFromStartsAtEpochZero(@TempDir Path dir) throws IOException {
        Path first = train(dir, null, squares(-1, -1), "total_epochs=2");
        assertEquals(dir.resolve("latest.pth"), Trainer.latestCheckpoint(dir));
        Files.delete(dir.resolve("latest.pth"));
        assertEquals(dir.resolve("epoch_2.pth"), Trainer.latestCheckpoint(dir));
        // auto-resume continues after epoch 2 up to the new total
        Path resumed = train(dir, null, true, null, squares(-1, -1), "total_epochs=3");
        assertEquals(List.of(3), lines(resumed, "train").stream().map(n -> n.path("epoch").asInt()).distinct()
                .toList());
        // load_from with another class count: the head is skipped (size mismatch) and training starts at epoch 1
        Path fresh = dir.resolve("fresh");
        Path loaded = train(fresh, null, false, dir.resolve("epoch_2.pth"), squares(-1, -1), "total_epochs=1",
                "model.cls_head.num_classes=5");
        assertEquals(1, lines(loaded, "train").get(0).path("epoch").asInt());
        assertTrue(lines(first, "train").size() > 0);
        assertEquals(null, Trainer.latestCheckpoint(dir.resolve("nothing")));
    }

    @Test
    void nonFiniteLossStopsNamingTheIterationAndKeepsTheLastCheckpoint(@TempDir Path dir) {
        SlowfastException e = assertThrows(SlowfastException.class, () -> train(dir, null, squares(1, 2)));
        assertTrue(e.getMessage().startsWith("loss is NaN at epoch 2, iteration 3 (global iteration 7)"),
                e.getMessage());
        Checkpoint latest = PthReader.read(dir.resolve("latest.pth"));
        assertEquals(1, ((Number) latest.meta().get("epoch")).intValue());
        assertTrue(latest.stateDict().values().stream().allMatch(t -> allFinite(t.toFloats())));
    }

    private static boolean allFinite(float[] v) {
        for (float x : v) {
            if (!Float.isFinite(x)) {
                return false;
            }
        }
        return true;
    }

    private static List<String> fieldNames(JsonNode n) {
        List<String> out = new ArrayList<>();
        n.fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void forcingMoreIntraOpThreadsForCpuTrainingLogsAWarning(@TempDir Path dir) throws IOException {
        String previous = System.setProperty(CpuThreads.FORCED_PROPERTY, "2");
        try {
            train(dir, null, squares(-1, -1), "total_epochs=1");
        } finally {
            if (previous == null) {
                System.clearProperty(CpuThreads.FORCED_PROPERTY);
            } else {
                System.setProperty(CpuThreads.FORCED_PROPERTY, previous);
            }
        }
        try (Stream<Path> files = Files.list(dir)) {
            Path textLog = files.filter(f -> f.toString().endsWith(".log")).findFirst().orElseThrow();
            String warning = Files.readAllLines(textLog).stream().filter(l -> l.contains(" - mmaction - WARNING - "))
                    .findFirst().orElseThrow();
            assertTrue(warning.contains("2 intra-op threads per replica") && warning.contains("Conv3d backward"),
                    warning);
        }
    }
}
