package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.io.Tensor;

/**
 * Nothing lost: a child JVM writes epoch checkpoints in a loop through {@link Trainer#saveEpochCheckpoint} (the
 * training loop's own code) and is killed with SIGKILL at random moments; after each kill {@code latest.pth} and every
 * {@code epoch_N.pth} left must load, hold the weights of the epoch their meta names, and never go back in time.
 */
class CheckpointKillTest {
    private static final int ROUNDS = 6;
    private static final int WEIGHTS = 1 << 20; // 4 MB per checkpoint: a write takes a while

    @TempDir Path workDir;

    @Test
    void killedWhileWritingCheckpointsLeavesTheLastOnesLoadable() throws Exception {
        Random random = new Random(19);
        int last = 0;
        for (int round = 0; round < ROUNDS; round++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-Xmx256m", "-cp", System.getProperty("java.class.path"),
                    Writer.class.getName(), workDir.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try (BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                assertNotNull(out.readLine(), "the writer saved nothing");
                Thread.sleep(random.nextInt(200)); // a random moment of the write loop
            } finally {
                child.destroyForcibly(); // SIGKILL
                assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            }
            int epoch = epochOf(workDir.resolve("latest.pth"));
            assertTrue(epoch > last, "latest.pth went from epoch " + last + " to " + epoch);
            last = epoch;
            try (Stream<Path> files = Files.list(workDir)) {
                for (Path f : files.filter(f -> f.getFileName().toString().matches("epoch_\\d+\\.pth")).toList()) {
                    assertEquals(f.getFileName().toString(), "epoch_" + epochOf(f) + ".pth");
                }
            }
        }
        try (Stream<Path> files = Files.list(workDir)) {
            System.out.println("CheckpointKillTest: temporary files of killed writes: "
                    + files.filter(f -> f.getFileName().toString().endsWith(".tmp")).count());
        }
    }

    /** The epoch a checkpoint's meta names, after checking that its weights are that epoch's. */
    private static int epochOf(Path file) {
        Checkpoint c = PthReader.read(file);
        int epoch = ((Number) c.meta().get("epoch")).intValue();
        float[] w = c.stateDict().get("backbone.w").toFloats();
        assertEquals(WEIGHTS, w.length, file.toString());
        for (float v : w) {
            assertEquals(epoch, v, file + " holds weights of another epoch");
        }
        return epoch;
    }

    /** The child: resumes from latest.pth, then saves epoch after epoch until it is killed. */
    public static final class Writer {
        public static void main(String[] args) throws IOException {
            Path workDir = Path.of(args[0]);
            Path latest = workDir.resolve("latest.pth");
            int epoch = Files.exists(latest) ? ((Number) PthReader.read(latest).meta().get("epoch")).intValue() : 0;
            float[] w = new float[WEIGHTS];
            while (true) {
                epoch++;
                Arrays.fill(w, epoch);
                Map<String, Object> meta = new LinkedHashMap<>(Map.of("epoch", epoch));
                LinkedHashMap<String, Tensor> weights = new LinkedHashMap<>();
                weights.put("backbone.w", Tensor.ofFloats(new long[] {WEIGHTS}, w));
                Trainer.saveEpochCheckpoint(workDir, epoch, new Checkpoint(meta, weights, null));
                Files.deleteIfExists(workDir.resolve("epoch_" + (epoch - 2) + ".pth")); // as max_keep_ckpts=2
                System.out.println("saved " + epoch);
                System.out.flush();
            }
        }
    }
}
