package org.slowfast.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code slowfast} commands as separate JVMs on localhost, each rank with torchrun's variables (what
 * tools/dist_train.sh does), on the test class path. Each process's stdout and stderr go to files in {@code dir}.
 */
public final class LocalJob implements AutoCloseable {
    private final List<Process> processes = new ArrayList<>();
    private final Path dir;

    public LocalJob(Path dir) {
        this.dir = dir;
    }

    /** A port that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code world} ranks of {@code slowfast args...} with {@code --launcher pytorch}. */
    public LocalJob start(int world, int port, String... args) {
        for (int rank = 0; rank < world; rank++) {
            start(rank, world, port, args);
        }
        return this;
    }

    /** Starts one rank. */
    public Process start(int rank, int world, int port, String... args) {
        return start("rank" + rank, Map.of("RANK", "" + rank, "WORLD_SIZE", "" + world, "LOCAL_RANK", "" + rank,
                "LOCAL_WORLD_SIZE", "" + world, "MASTER_ADDR", "127.0.0.1", "MASTER_PORT", "" + port), args);
    }

    /** Starts {@code slowfast args...} with extra environment variables; output goes to {@code name}.out/.err. */
    public Process start(String name, Map<String, String> env, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-Dai.djl.pytorch.num_interop_threads=1",
                "-Xss4m", "org.slowfast.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out(name).toFile())
                .redirectError(err(name).toFile());
        pb.environment().keySet().removeIf(k -> List.of("RANK", "WORLD_SIZE", "LOCAL_RANK", "LOCAL_WORLD_SIZE",
                "MASTER_ADDR", "MASTER_PORT").contains(k) || k.startsWith("SLURM_"));
        pb.environment().putAll(env);
        pb.environment().put("OPT_OUT_TRACKING", "true");
        try {
            Process p = pb.start();
            processes.add(p);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public Process process(int i) {
        return processes.get(i);
    }

    public Path out(String name) {
        return dir.resolve(name + ".out");
    }

    public Path err(String name) {
        return dir.resolve(name + ".err");
    }

    /** What process {@code name} wrote to stdout and stderr. */
    public String output(String name) {
        try {
            return Files.readString(out(name)) + Files.readString(err(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Waits for every process; returns their exit codes (a process still running after the timeout is killed). */
    public int[] await(long timeoutSeconds) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
        int[] codes = new int[processes.size()];
        for (int i = 0; i < codes.length; i++) {
            Process p = processes.get(i);
            if (!p.waitFor(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                p.destroyForcibly().waitFor();
                codes[i] = -1;
            } else {
                codes[i] = p.exitValue();
            }
        }
        return codes;
    }

    @Override
    public void close() {
        processes.forEach(Process::destroyForcibly);
    }
}
