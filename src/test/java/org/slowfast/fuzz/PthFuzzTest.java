package org.slowfast.fuzz;

import java.io.ByteArrayOutputStream;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.io.PthReader;

/**
 * The {@code .pth} reader on its corpus (zip and legacy checkpoints of PyTorch 1.13, hostile ones) and on mutants:
 * of the whole file, and of the zip's {@code data.pkl} alone, re-zipped with its storages (so that the mutants reach
 * the unpickler instead of failing the zip's checksums).
 */
class PthFuzzTest {
    @TempDir Path dir;

    @Test
    void readsEveryCheckpointOrFailsInOneLine() {
        try (Fuzz fuzz = new Fuzz("pth", dir)) {
            List<Path> corpus = fuzz.corpus(".pth");
            Path file = dir.resolve("checkpoint.pth");
            assertEquals(4, PthReader.read(fuzz.corpus("seed-full-zip.pth").get(0)).stateDict().size(),
                    "the target reads its seed");
            for (Path input : corpus) {
                fuzz.check(Fuzz.read(input), file, PthReader::read);
            }
            List<byte[]> seeds = Fuzz.bytes(corpus);
            Mutator whole = new Mutator(fuzz.random, seeds);
            List<Map<String, byte[]>> zips = new ArrayList<>();
            List<byte[]> pickles = new ArrayList<>();
            for (Path seed : corpus) {
                Map<String, byte[]> entries = unzip(seed);
                if (!entries.isEmpty()) {
                    zips.add(entries);
                    pickles.add(entries.get(dataPkl(entries)));
                }
            }
            Mutator pickle = new Mutator(fuzz.random, pickles);
            for (int i = 0; i < Fuzz.tries(1000); i++) {
                if (i % 2 == 0) {
                    fuzz.check(whole.next(), file, PthReader::read);
                } else {
                    Map<String, byte[]> entries = new LinkedHashMap<>(zips.get(fuzz.random.nextInt(zips.size())));
                    entries.put(dataPkl(entries), pickle.next());
                    fuzz.check(zip(entries), file, PthReader::read);
                }
            }
        }
    }

    private static String dataPkl(Map<String, byte[]> entries) {
        return entries.keySet().stream().filter(n -> n.endsWith("data.pkl")).findFirst().orElseThrow();
    }

    /** The entries of a zip seed in order; empty for a legacy or broken seed. */
    private static Map<String, byte[]> unzip(Path file) {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (ZipFile zip = new ZipFile(file.toFile())) {
            for (ZipEntry e : java.util.Collections.list(zip.entries())) {
                try (InputStream in = zip.getInputStream(e)) {
                    entries.put(e.getName(), in.readAllBytes());
                }
            }
        } catch (IOException e) {
            return Map.of();
        }
        return entries.keySet().stream().anyMatch(n -> n.endsWith("data.pkl")) ? entries : Map.of();
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                zip.putNextEntry(entry);
                zip.write(e.getValue());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
