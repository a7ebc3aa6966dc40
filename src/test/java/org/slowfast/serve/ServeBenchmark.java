package org.slowfast.serve;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slowfast.config.LoadedConfig;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthWriter;
import org.slowfast.model.Recognizer3D;
import org.slowfast.model.StateDicts;

/**
 * Client side of the serving benchmark in docs/benchmarks.md ("Serving"); tools/benchmarks/serve_benchmark.sh runs it.
 * Not a unit test. After {@code mvn -q test-compile dependency:build-classpath -Dmdep.outputFile=cp.txt}:
 * <ul>
 *   <li>{@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.slowfast.serve.ServeBenchmark
 *       checkpoint CONFIG OUT.pth}: a seeded, untrained checkpoint of the config's model (timing needs no training);
 *   <li>{@code ... ServeBenchmark load URL CLIENTS REQUESTS VIDEO...}: 2 warm-up requests, then CLIENTS concurrent
 *       clients each posting REQUESTS videos (round robin) one after the other; prints one JSON line with the latency
 *       p50 and p99 (ms) of the timed requests and the throughput (requests/s).
 * </ul>
 */
public final class ServeBenchmark {
    private ServeBenchmark() {}

    public static void main(String[] args) throws Exception {
        if (args[0].equals("checkpoint")) {
            LoadedConfig cfg = LoadedConfig.load(Path.of(args[1]), List.of());
            Recognizer3D model = Recognizer3D.build(cfg);
            try (NDManager manager = NDManager.newBaseManager()) {
                model.initializeWeights(manager, DataType.FLOAT32, 0, new Shape(1, 3, 8, 64, 64));
                PthWriter.write(Path.of(args[2]), new Checkpoint(Map.of(), StateDicts.stateDict(model), null));
            }
            return;
        }
        String url = args[1];
        int clients = Integer.parseInt(args[2]);
        int requests = Integer.parseInt(args[3]);
        List<byte[]> videos = new ArrayList<>();
        for (int i = 4; i < args.length; i++) {
            videos.add(Files.readAllBytes(Path.of(args[i])));
        }
        for (int i = 0; i < 2; i++) {
            check(Http.post(url, videos.get(i % videos.size())));
        }
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Future<double[]>> runs = new ArrayList<>();
        long start = System.nanoTime();
        for (int c = 0; c < clients; c++) {
            int client = c;
            runs.add(pool.submit(() -> {
                double[] ms = new double[requests];
                for (int r = 0; r < requests; r++) {
                    long t = System.nanoTime();
                    check(Http.post(url, videos.get((client + r) % videos.size())));
                    ms[r] = (System.nanoTime() - t) / 1e6;
                }
                return ms;
            }));
        }
        List<Double> all = new ArrayList<>();
        for (Future<double[]> f : runs) {
            Arrays.stream(f.get()).forEach(all::add);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        double[] sorted = all.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        System.out.printf("{\"clients\": %d, \"requests\": %d, \"p50_ms\": %.1f, \"p99_ms\": %.1f, "
                + "\"throughput_rps\": %.2f}%n", clients, sorted.length, percentile(sorted, 0.50),
                percentile(sorted, 0.99), sorted.length / seconds);
    }

    private static void check(Http.Answer a) {
        if (a.status() != 200) {
            throw new IllegalStateException("HTTP " + a.status() + ": " + a.text());
        }
    }

    /** The nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        return sorted[Math.max(0, (int) Math.ceil(p * sorted.length) - 1)];
    }
}
