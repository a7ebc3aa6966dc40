package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.io.PthWriter;
import org.slowfast.io.Tensor;

/** {@code slowfast publish-model}: no optimizer in the output, whose name carries its own sha256 prefix. */
class PublishModelCommandTest {
    @Test
    void dropsTheOptimizerAndNamesTheFileByItsHash(@TempDir Path dir) throws Exception {
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("cls_head.fc_cls.weight", Tensor.ofFloats(new long[] {2, 2}, new float[] {1, -2, 3.5f, 0}));
        Map<Object, Object> optimizer = Map.of("state", Map.of(0, Map.of("momentum_buffer",
                Tensor.ofFloats(new long[] {2}, new float[] {0.5f, 1}))), "param_groups", List.of(Map.of("lr", 0.1)));
        Path in = dir.resolve("epoch_3.pth");
        PthWriter.write(in, new Checkpoint(Map.of("epoch", 3), sd, optimizer));

        CliRun r = CliRun.of("publish-model", in.toString(), dir.resolve("out/tiny.pth").toString());
        assertEquals(0, r.code(), r.err());
        List<Path> written;
        try (Stream<Path> files = Files.list(dir.resolve("out"))) {
            written = files.toList();
        }
        assertEquals(1, written.size(), written.toString());
        Path published = written.get(0);
        String hex = HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(published)));
        assertEquals("tiny-" + hex.substring(0, 8) + ".pth", published.getFileName().toString());
        assertTrue(r.out().contains("published: " + published), r.out());
        Checkpoint back = PthReader.read(published);
        assertNull(back.optimizer());
        assertEquals(3L, ((Number) back.meta().get("epoch")).longValue());
        assertArrayEquals(new long[] {2, 2}, back.stateDict().get("cls_head.fc_cls.weight").shape());
        assertTrue(Files.size(published) < Files.size(in));
    }

    @Test
    void hashIsSha256sum(@TempDir Path dir) throws Exception {
        Path abc = dir.resolve("abc");
        Files.writeString(abc, "abc", StandardCharsets.US_ASCII);
        // FIPS 180-2 test vector
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                PublishModelCommand.sha256(abc));
    }

    @Test
    void missingInputIsOneErrorLine(@TempDir Path dir) {
        CliRun r = CliRun.of("publish-model", dir.resolve("nope.pth").toString(), dir.resolve("o.pth").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: ") && r.err().contains("nope.pth") && r.err().lines().count() == 1,
                r.err());
    }
}
