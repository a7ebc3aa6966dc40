package org.slowfast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slowfast.io.PthReaderTest.fixture;
import static org.slowfast.io.PthReaderTest.values;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Java-written checkpoints: they read back in Java, and PyTorch reads them. {@code pth/java_written.pth} is
 * {@link #sample()} as written by {@link PthWriter}; {@code pth/java_written.torch.json} is what
 * {@code tools/fixtures/dump_pth.py} (torch 1.13's {@code torch.load}) printed for it.
 */
class PthWriterTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PYTHON = "/usr/bin/python3";

    /** A small MMAction2-style checkpoint with every kind of value the writer handles. */
    static Checkpoint sample() {
        Tensor shared = Tensor.ofFloats(new long[] {2, 3}, new float[] {0.5f, -1.25f, 3e-8f, 1e30f, -0f, 7});
        ByteBuffer half = ByteBuffer.allocate(6).order(ByteOrder.LITTLE_ENDIAN);
        half.putShort((short) 0x3c00).putShort((short) 0xc100).putShort((short) 0x0001).flip(); // 1, -2.5, 2^-24
        ByteBuffer dbl = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN);
        dbl.putDouble(Math.PI).putDouble(-1e300).flip();
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("backbone.slow_path.conv1.conv.weight", shared);
        sd.put("backbone.slow_path.conv1.bn.num_batches_tracked", Tensor.ofLongs(new long[0], new long[] {123}));
        sd.put("backbone.half", new Tensor(Tensor.DType.FLOAT16, new long[] {3}, half));
        sd.put("backbone.double", new Tensor(Tensor.DType.FLOAT64, new long[] {2, 1}, dbl));
        sd.put("backbone.empty", Tensor.ofFloats(new long[] {0, 3}, new float[0]));
        sd.put("cls_head.fc_cls.weight", shared);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("epoch", 2);
        meta.put("iter", 40L);
        meta.put("seed", -1);
        meta.put("lr", 0.05);
        meta.put("big", 1L << 40);
        meta.put("min", Long.MIN_VALUE);
        meta.put("small", List.of(300, 70000, -5, 255, 65535, 65536));
        meta.put("flags", List.of(true, false));
        meta.put("nothing", null);
        meta.put("config", "model = dict(\n    type='Recognizer3D')  # \u2713 utf-8\n");
        meta.put("hook_msgs", Map.of("last_ckpt", "work_dirs/epoch_2.pth"));
        meta.put("empty", Map.of());
        Map<Object, Object> state = new LinkedHashMap<>();
        state.put(0, Map.of("momentum_buffer", Tensor.ofFloats(new long[] {2}, new float[] {0.25f, -0.5f})));
        state.put(1, Map.of("momentum_buffer", Tensor.ofFloats(new long[] {1}, new float[] {1.5f})));
        Map<String, Object> group = new LinkedHashMap<>();
        group.put("lr", 0.1);
        group.put("momentum", 0.9);
        group.put("dampening", 0);
        group.put("weight_decay", 1e-4);
        group.put("nesterov", false);
        group.put("maximize", false);
        group.put("foreach", null);
        group.put("differentiable", false);
        group.put("params", List.of(0, 1));
        Map<Object, Object> optimizer = new LinkedHashMap<>();
        optimizer.put("state", state);
        optimizer.put("param_groups", List.of(group));
        return new Checkpoint(meta, sd, optimizer);
    }

    @Test
    void roundTripKeepsEverything(@TempDir Path dir) {
        Checkpoint written = sample();
        Path file = dir.resolve("epoch_2.pth");
        PthWriter.write(file, written);
        Checkpoint read = PthReader.read(file);

        assertEquals(new ArrayList<>(written.stateDict().keySet()), new ArrayList<>(read.stateDict().keySet()));
        written.stateDict().forEach((key, t) -> {
            Tensor r = read.stateDict().get(key);
            assertEquals(t.dtype(), r.dtype(), key);
            assertArrayEquals(t.shape(), r.shape(), key);
            assertArrayEquals(values(t), values(r), key);
        });
        assertEquals(JSON.valueToTree(withLongs(written.meta())), JSON.valueToTree(read.meta()));
        Map<?, ?> state = (Map<?, ?>) read.optimizer().get("state");
        assertEquals(List.of(0L, 1L), new ArrayList<>(state.keySet()));
        assertArrayEquals(new double[] {1.5}, values((Tensor) ((Map<?, ?>) state.get(1L)).get("momentum_buffer")));
        assertEquals(JSON.valueToTree(withLongs(written.optimizer().get("param_groups"))),
                JSON.valueToTree(read.optimizer().get("param_groups")));
    }

    /** The reader returns Python ints as Long; the sample uses Integer in places. */
    private static Object withLongs(Object o) {
        if (o instanceof Integer i) {
            return i.longValue();
        }
        if (o instanceof Map<?, ?> m) {
            Map<Object, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(withLongs(k), withLongs(v)));
            return out;
        }
        if (o instanceof List<?> l) {
            return l.stream().map(PthWriterTest::withLongs).toList();
        }
        return o;
    }

    @Test
    void tensorsFarLargerThanTheirPickleLoad(@TempDir Path dir) {
        // An R50 checkpoint holds 34M floats under a pickle of a few hundred KB: the pickle's expansion bound must not
        // count the elements a tensor's storage holds (2M floats under a pickle of about 300 bytes here).
        float[] values = new float[1 << 21];
        values[values.length - 1] = 42f;
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("cls_head.fc_cls.weight", Tensor.ofFloats(new long[] {1 << 11, 1 << 10}, values));
        Path file = dir.resolve("large.pth");
        PthWriter.write(file, new Checkpoint(Map.of(), sd, null));
        Tensor read = PthReader.read(file).stateDict().get("cls_head.fc_cls.weight");
        assertArrayEquals(new long[] {1 << 11, 1 << 10}, read.shape());
        double[] got = values(read);
        assertEquals(values.length, got.length);
        assertEquals(42.0, got[got.length - 1]);
        assertEquals(42.0, Arrays.stream(got).sum());
    }

    @Test
    void writerStillProducesTheTorchVerifiedFixture(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("java_written.pth");
        PthWriter.write(file, sample());
        boolean same = Arrays.equals(Files.readAllBytes(fixture("java_written.pth")), Files.readAllBytes(file));
        if (!same) {
            Path actual = Path.of("target", "java_written.actual.pth");
            Files.copy(file, actual, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            throw new AssertionError("the writer's output changed: check " + actual + " with "
                    + "tools/fixtures/dump_pth.py under torch, then replace src/test/resources/pth/java_written.pth "
                    + "and java_written.torch.json");
        }
    }

    @Test
    void torchReadTheCommittedFixtureExactly() throws IOException {
        assertTorchSaw(JSON.readTree(Files.readString(fixture("java_written.torch.json"))), sample());
    }

    @Test
    void torchLoadsAFreshlyWrittenCheckpoint(@TempDir Path dir) throws Exception {
        Assumptions.assumeTrue(Files.isExecutable(Path.of(PYTHON)) && run(PYTHON, "-c", "import torch").exitCode == 0,
                "needs /usr/bin/python3 with torch");
        Path file = dir.resolve("fresh.pth");
        PthWriter.write(file, sample());
        Result r = run(PYTHON, "tools/fixtures/dump_pth.py", file.toString());
        assertEquals(0, r.exitCode, r.output);
        assertTorchSaw(JSON.readTree(r.output), sample());
    }

    @Test
    void unsupportedValuesFailWithoutLeavingAFile(@TempDir Path dir) throws IOException {
        Checkpoint ckpt = sample();
        ckpt.meta().put("thread", Thread.currentThread());
        Path file = dir.resolve("bad.pth");
        assertThrows(IllegalArgumentException.class, () -> PthWriter.write(file, ckpt));
        try (var files = Files.list(dir)) {
            assertEquals(0, files.count());
        }
    }

    /** Checks a {@code dump_pth.py} report against the checkpoint that was written. */
    private static void assertTorchSaw(JsonNode dump, Checkpoint expected) throws IOException {
        assertTrue(dump.get("aligned").asBoolean(), "storages 64-byte aligned");
        assertTrue(dump.get("state_dict_is_ordered_dict").asBoolean());
        assertEquals("[\"int\"]", dump.get("optimizer_state_key_types").toString());
        assertEquals("[[\"backbone.slow_path.conv1.conv.weight\",\"cls_head.fc_cls.weight\"]]",
                dump.get("shared_storage").toString());
        assertEquals(List.of("archive/data.pkl", "archive/byteorder", "archive/data/0", "archive/data/1",
                "archive/data/2", "archive/data/3", "archive/data/4", "archive/data/5", "archive/data/6",
                "archive/version"), JSON.convertValue(dump.get("entries"), List.class));
        JsonNode ckpt = dump.get("checkpoint");
        List<String> keys = new ArrayList<>();
        ckpt.get("state_dict").fieldNames().forEachRemaining(keys::add);
        assertEquals(new ArrayList<>(expected.stateDict().keySet()), keys);
        expected.stateDict().forEach((key, t) -> assertTensor(ckpt.get("state_dict").get(key), t));
        assertEquals(JSON.readTree(JSON.writeValueAsString(expected.meta())), ckpt.get("meta"));
        Map<?, ?> state = (Map<?, ?>) expected.optimizer().get("state");
        state.forEach((k, v) -> assertTensor(ckpt.get("optimizer").get("state").get(k.toString()).get("momentum_buffer"),
                (Tensor) ((Map<?, ?>) v).get("momentum_buffer")));
        assertEquals(JSON.readTree(JSON.writeValueAsString(expected.optimizer().get("param_groups"))),
                ckpt.get("optimizer").get("param_groups"));
    }

    private static void assertTensor(JsonNode seen, Tensor t) {
        assertEquals(t.dtype().name().toLowerCase(), seen.get("dtype").asText());
        assertEquals(Arrays.toString(t.shape()), JSON.convertValue(seen.get("shape"), List.class).toString());
        double[] got = new double[seen.get("values").size()];
        Arrays.setAll(got, i -> seen.get("values").get(i).asDouble());
        assertArrayEquals(values(t), got);
    }

    private record Result(int exitCode, String output) {}

    private static Result run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "python timed out");
        int code = p.exitValue();
        return new Result(code, code == 0 ? out.substring(out.lastIndexOf('\n') + 1) : out);
    }
}
