package org.slowfast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slowfast.SlowfastException;

/**
 * Reads checkpoints written by PyTorch 1.13's {@code torch.save} ({@code tools/fixtures/make_pth_fixtures.py}) and
 * compares them with the values PyTorch itself exported to {@code expected.json}.
 */
class PthReaderTest {
    static Path fixture(String name) {
        try {
            return Path.of(PthReaderTest.class.getResource("/pth/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode expected() throws IOException {
        try (InputStream in = Files.newInputStream(fixture("expected.json"))) {
            return new ObjectMapper().readTree(in);
        }
    }

    /** Exact values of a tensor as doubles (float16/32 widen exactly, int64 values here fit a double exactly). */
    static double[] values(Tensor t) {
        ByteBuffer b = t.data().duplicate().order(ByteOrder.LITTLE_ENDIAN);
        double[] out = new double[(int) t.numel()];
        for (int i = 0; i < out.length; i++) {
            out[i] = switch (t.dtype()) {
                case FLOAT64 -> b.getDouble();
                case FLOAT32 -> b.getFloat();
                case FLOAT16 -> Tensor.halfToFloat(b.getShort());
                case INT64 -> b.getLong();
                default -> throw new AssertionError(t.dtype());
            };
        }
        return out;
    }

    static void assertStateDict(JsonNode expected, Map<String, Tensor> actual) {
        List<String> keys = new ArrayList<>();
        expected.forEach(e -> keys.add(e.get(0).asText()));
        assertEquals(keys, new ArrayList<>(actual.keySet()), "keys in saved order");
        for (JsonNode e : expected) {
            String key = e.get(0).asText();
            Tensor t = actual.get(key);
            assertEquals(e.get(1).asText(), switch (t.dtype()) {
                case FLOAT32 -> "float32";
                case FLOAT16 -> "float16";
                case FLOAT64 -> "float64";
                case INT64 -> "int64";
                default -> t.dtype().name();
            }, key);
            long[] shape = new long[e.get(2).size()];
            Arrays.setAll(shape, i -> e.get(2).get(i).asLong());
            assertArrayEquals(shape, t.shape(), key);
            double[] want = new double[e.get(3).size()];
            Arrays.setAll(want, i -> e.get(3).get(i).asDouble());
            assertArrayEquals(want, values(t), key);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"full_zip.pth", "full_legacy.pth"})
    void readsFullCheckpointLikePyTorch(String name) throws IOException {
        Checkpoint ckpt = PthReader.read(fixture(name));
        JsonNode expected = expected();
        assertStateDict(expected.get("state_dict"), ckpt.stateDict());
        assertEquals(-0.6f, ckpt.stateDict().get("cls_head.fc_cls.weight").toFloats()[1], 1e-7f, "linspace(-1, 1, 6)[1]");

        Map<?, ?> state = (Map<?, ?>) ckpt.optimizer().get("state");
        assertEquals(List.of(0L, 1L), new ArrayList<>(state.keySet()));
        for (Map.Entry<?, ?> e : state.entrySet()) {
            Tensor buffer = (Tensor) ((Map<?, ?>) e.getValue()).get("momentum_buffer");
            JsonNode want = expected.get("optimizer").get("momentum_buffers").get(e.getKey().toString());
            double[] w = new double[want.size()];
            Arrays.setAll(w, i -> want.get(i).asDouble());
            assertArrayEquals(w, values(buffer));
        }
        Map<?, ?> group = (Map<?, ?>) ((List<?>) ckpt.optimizer().get("param_groups")).get(0);
        JsonNode wantGroup = expected.get("optimizer").get("param_groups").get(0);
        assertEquals(wantGroup.get("lr").asDouble(), group.get("lr"));
        assertEquals(0.9, group.get("momentum"));
        assertEquals(1e-4, group.get("weight_decay"));
        assertEquals(false, group.get("nesterov"));
        assertEquals(List.of(0L, 1L), group.get("params"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"full_zip.pth", "full_legacy.pth"})
    void turnsOddMetaObjectsIntoPlainValues(String name) {
        Map<String, Object> meta = PthReader.read(fixture(name)).meta();
        assertEquals(3L, meta.get("epoch"));
        assertEquals(120L, meta.get("iter"));
        assertEquals(42L, meta.get("seed"));
        assertEquals(0.025, meta.get("lr"));
        assertEquals(true, meta.get("flag"));
        assertTrue(meta.containsKey("nothing"));
        assertNull(meta.get("nothing"));
        assertEquals("0.24.1+abc123", meta.get("mmaction_version"));
        assertEquals("model = dict(type='Recognizer3D')\n", meta.get("config"));
        assertEquals(Map.of("last_ckpt", "/work_dirs/x/epoch_3.pth"), meta.get("hook_msgs"));
        assertEquals(List.of(1L, "a"), meta.get("tuple"));
        assertEquals(List.of(7L), meta.get("set"));
        assertArrayEquals(new byte[] {0, 1}, (byte[]) meta.get("bytes"));
        assertEquals(0.25, meta.get("np_float"));
        assertEquals(1.5, meta.get("np_f32"));
        assertEquals(-7L, meta.get("np_int"));
        assertEquals(List.of(0.0, 1.0, 2.0), meta.get("np_array"));
        assertEquals(Map.of("__class__", "__main__.Odd", "x", 1L, "name", "odd"), meta.get("odd"));
        assertEquals(Map.of("__class__", "__main__.OddArgs", "args", List.of(3L, "x")), meta.get("odd_args"));
        assertEquals(Map.of("__class__", "__main__.AttrDict", "frozen", true, "a", 1L, "b", Map.of("c", "d")),
                meta.get("cfg"));
        assertEquals("posixpath.join", meta.get("function"));
        assertEquals("torch.float32", meta.get("dtype"));
        assertEquals(Map.of("__class__", "torch.device", "args", List.of("cpu")), meta.get("device"));
    }

    @Test
    void stripsModulePrefixOfBareStateDict() throws IOException {
        Checkpoint ckpt = PthReader.read(fixture("bare_module.pth"));
        assertStateDict(expected().get("bare_module"), ckpt.stateDict());
        assertTrue(ckpt.meta().isEmpty());
        assertNull(ckpt.optimizer());
    }

    static void assertOneLineError(Path file, String fragment) {
        SlowfastException e = assertThrows(SlowfastException.class, () -> PthReader.read(file));
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains(fragment), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(strings = {"full_zip.pth", "full_legacy.pth"})
    void truncatedCheckpointIsAOneLineError(String name, @TempDir Path dir) throws IOException {
        byte[] whole = Files.readAllBytes(fixture(name));
        for (int length : new int[] {whole.length / 3, whole.length - 10}) {
            Path cut = dir.resolve("cut_" + length + ".pth");
            Files.write(cut, Arrays.copyOf(whole, length));
            assertOneLineError(cut, "not a readable PyTorch checkpoint");
        }
    }

    @Test
    void unsupportedDtypeIsNamed() {
        assertOneLineError(fixture("bfloat16.pth"), "unsupported storage type torch.BFloat16Storage");
    }

    @Test
    void nonCheckpointsAreOneLineErrors(@TempDir Path dir) throws IOException {
        Path text = dir.resolve("notes.pth");
        Files.writeString(text, "model = dict(type='Recognizer3D')\n");
        assertOneLineError(text, "neither a zip archive nor a pickle");

        Path random = dir.resolve("random.pth");
        byte[] noise = new byte[4096];
        new Random(7).nextBytes(noise);
        noise[0] = (byte) 0x80;
        noise[1] = 2;
        Files.write(random, noise);
        assertOneLineError(random, "not a readable PyTorch checkpoint");

        Path empty = dir.resolve("empty.pth");
        Files.write(empty, new byte[0]);
        assertOneLineError(empty, "neither a zip archive nor a pickle");

        Path otherZip = dir.resolve("other.zip");
        try (var zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(otherZip))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("readme.txt"));
            zip.write("hello".getBytes(StandardCharsets.UTF_8));
        }
        assertOneLineError(otherZip, "without data.pkl");

        assertOneLineError(dir, "is a directory");
        assertOneLineError(dir.resolve("missing.pth"), "no such file");
    }
}
