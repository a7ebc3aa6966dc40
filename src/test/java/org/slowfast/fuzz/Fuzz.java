package org.slowfast.fuzz;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import org.slowfast.SlowfastException;

/**
 * The fuzz suite's property, checked for every input of every target: reading it returns normally or throws the
 * toolkit's {@link SlowfastException} with a one-line message, within {@link #TIME_LIMIT_S} seconds, allocating at
 * most {@link #ALLOCATION_BASE} bytes plus {@link #ALLOCATION_PER_BYTE} per input byte on the reading thread.
 *
 * <p>Each target first reads its corpus unchanged ({@code src/test/resources/fuzz/<target>/}: seeds and the inputs
 * that once failed), then mutants of its seeds ({@link Mutator}). {@code -Dfuzz.tries=N} sets the number of mutants
 * per target (CI runs each target's small default) and {@code -Dfuzz.seed=S} the random seed. An input that breaks
 * the property is saved under {@code target/fuzz-failures/<target>/} and named in the failure, ready to be added to
 * the corpus once fixed.
 */
final class Fuzz implements AutoCloseable {
    static final long TIME_LIMIT_S = 20;
    static final long ALLOCATION_BASE = 512L << 20;
    static final long ALLOCATION_PER_BYTE = 256;

    /** How one target reads an input file. */
    @FunctionalInterface
    interface Reader {
        void read(Path file) throws Exception;
    }

    private final String target;
    private final Path work;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "fuzz");
        t.setDaemon(true); // a hung read must not keep the test JVM alive
        return t;
    });
    final Random random;

    Fuzz(String target, Path work) {
        this.target = target;
        this.work = work;
        this.random = new Random(Long.getLong("fuzz.seed", 19L) ^ target.hashCode());
    }

    /** Mutants per target: {@code -Dfuzz.tries}, else {@code ciDefault}. */
    static int tries(int ciDefault) {
        return Integer.getInteger("fuzz.tries", ciDefault);
    }

    /** The corpus files of this target whose names end with {@code suffix}, sorted. */
    List<Path> corpus(String suffix) {
        try {
            Path dir = Path.of(Fuzz.class.getResource("/fuzz/" + target).toURI());
            try (Stream<Path> files = Files.list(dir)) {
                return files.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
            }
        } catch (URISyntaxException | IOException e) {
            throw new IllegalStateException("no corpus for " + target, e);
        }
    }

    static List<byte[]> bytes(List<Path> files) {
        List<byte[]> out = new ArrayList<>();
        files.forEach(f -> out.add(read(f)));
        return out;
    }

    static byte[] read(Path file) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code input} to {@code file} and checks the property for {@code reader} on it. */
    void check(byte[] input, Path file, Reader reader) {
        try {
            Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String broken = run(reader, file, input.length);
        if (broken != null) {
            throw new AssertionError(target + ": " + broken + "; input saved as " + save(input, file));
        }
    }

    /** Null when the property holds, else what broke it. */
    private String run(Reader reader, Path file, long length) {
        Future<String> result = thread.submit(() -> {
            com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long before = mx.getCurrentThreadAllocatedBytes();
            String broken = null;
            try {
                reader.read(file);
            } catch (SlowfastException e) {
                if (e.getMessage() == null || e.getMessage().isBlank() || e.getMessage().lines().count() != 1) {
                    broken = "an error that is not one line: " + e.getMessage();
                }
            } catch (Throwable t) { // any other exception or error breaks the property
                StringWriter trace = new StringWriter();
                t.printStackTrace(new PrintWriter(trace));
                broken = "not the toolkit's error: " + trace.toString().lines().limit(12)
                        .reduce((a, b) -> a + " | " + b).orElse("");
            }
            long allocated = mx.getCurrentThreadAllocatedBytes() - before;
            if (broken == null && allocated > ALLOCATION_BASE + ALLOCATION_PER_BYTE * length) {
                broken = "allocated " + allocated + " bytes for an input of " + length;
            }
            return broken;
        });
        try {
            return result.get(TIME_LIMIT_S, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            return "no answer within " + TIME_LIMIT_S + " s";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        } catch (ExecutionException e) {
            return String.valueOf(e.getCause());
        }
    }

    private Path save(byte[] input, Path file) {
        try {
            String name = file.getFileName().toString();
            String ext = name.contains(".") ? name.substring(name.lastIndexOf('.')) : "";
            String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(input)).substring(0, 12);
            Path out = Path.of("target", "fuzz-failures", target, "failed-" + hash + ext).toAbsolutePath();
            Files.createDirectories(out.getParent());
            return Files.write(out, input);
        } catch (IOException | NoSuchAlgorithmException e) {
            return work.resolve("(unsaved: " + e + ")");
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
