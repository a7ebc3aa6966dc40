package org.slowfast.data;

import com.sun.management.OperatingSystemMXBean;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.BatchSource.Batch;
import org.slowfast.data.pipeline.PipelineStep;

/**
 * Data pipeline throughput of one split of a config: clips/s (wall), CPU seconds (user + system, the whole process)
 * per clip and peak RSS ({@code VmHWM}); the Java half of tools/benchmarks/loader_side_by_side.sh and the numbers in
 * docs/benchmarks.md, "Data pipeline". Not a unit test. One run per JVM (peak RSS is per process):
 * {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.slowfast.data.PipelineBenchmark
 * CONFIG SPLIT WORKERS BATCH CLIPS WARMUP [KEY=VALUE ...]} (the key-values are --cfg-options), after
 * {@code mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt}. WORKERS ≥ 1 runs
 * {@link ClipLoader} with that many worker threads; WORKERS = 0 runs the pipeline in the calling thread, as one
 * loader worker does (each clip's floats written into its batch's array), and also times every step. Prints one JSON
 * line.
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {}

    public static void main(String[] args) throws IOException {
        LoadedConfig cfg = LoadedConfig.load(Path.of(args[0]), List.of(args).subList(6, args.length));
        String split = args[1];
        int workers = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int clips = Integer.parseInt(args[4]);
        int warmup = Integer.parseInt(args[5]);
        ClipDataset dataset = ClipDataset.build(cfg, split);
        Map<String, Double> stages = new LinkedHashMap<>();
        Measured m = workers == 0 ? inThread(dataset, batch, clips, warmup, stages)
                : withLoader(dataset, workers, batch, clips, warmup);
        String stageJson = stages.entrySet().stream()
                .map(e -> String.format(Locale.ROOT, "\"%s\": %.2f", e.getKey(), e.getValue() / clips / 1e6))
                .collect(Collectors.joining(", ", "{", "}"));
        System.out.printf(Locale.ROOT, "{\"side\": \"slowfast-java\", \"split\": \"%s\", \"workers\": %d, \"clips\": %d,"
                + " \"seconds\": %.3f, \"clips_per_s\": %.3f, \"cpu_s_per_clip\": %.4f, \"peak_rss_mb\": %.1f,"
                + " \"gc\": \"%s\", \"stages_ms\": %s}%n", split, workers, clips, m.seconds, clips / m.seconds,
                m.cpuSeconds / clips, peakRssMb(), gcName(), stageJson);
    }

    private record Measured(double seconds, double cpuSeconds) {}

    private static Measured measure(Runnable timed) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        timed.run();
        return new Measured((System.nanoTime() - t0) / 1e9, (os.getProcessCpuTime() - cpu0) / 1e9);
    }

    /** {@link ClipLoader} with {@code workers} threads, batches taken until {@code clips} clips came. */
    private static Measured withLoader(ClipDataset dataset, int workers, int batch, int clips, int warmup) {
        ClipLoader.Options options = new ClipLoader.Options(batch, workers, !dataset.testMode(), false, 0,
                Math.max(2, 2 * workers), ClipLoader.DEFAULT_MAX_FAILURE_SHARE);
        try (ClipLoader loader = new ClipLoader(dataset, options, System.err::println)) {
            int[] epoch = {0};
            IntConsumer take = n -> {
                for (int seen = 0; seen < n; epoch[0]++) {
                    for (Iterator<Batch> it = loader.epoch(epoch[0]); it.hasNext() && seen < n; ) {
                        seen += it.next().labels().length;
                    }
                }
            };
            take.accept(warmup);
            return measure(() -> take.accept(clips));
        }
    }

    /** The pipeline in this thread, one step at a time, each clip written into its batch's float array. */
    private static Measured inThread(ClipDataset dataset, int batch, int clips, int warmup, Map<String, Double> stages) {
        List<PipelineStep> steps = dataset.config().pipeline();
        int length = dataset.sample(0, 0, 0).outputLength();
        runInThread(dataset, steps, batch, length, warmup, null);
        return measure(() -> runInThread(dataset, steps, batch, length, clips, stages));
    }

    private static void runInThread(ClipDataset dataset, List<PipelineStep> steps, int batch, int length, int clips,
            Map<String, Double> stages) {
        float[] out = null;
        for (int i = 0; i < clips; i++) {
            long t0 = System.nanoTime();
            if (i % batch == 0) {
                out = new float[Math.min(batch, clips - i) * length]; // as ClipLoader allocates each batch
            }
            time(stages, "batch buffer", t0);
            int index = i % dataset.size();
            Sample sample = dataset.newSample(index, ClipDataset.random(0, 0, i, 0));
            sample.out = out;
            sample.outOffset = (i % batch) * length;
            try {
                for (PipelineStep step : steps) {
                    long s0 = System.nanoTime();
                    step.apply(sample);
                    time(stages, step.getClass().getSimpleName(), s0);
                }
            } finally {
                if (sample.source != null) {
                    sample.source.close();
                }
            }
        }
    }

    private static void time(Map<String, Double> stages, String name, long t0) {
        if (stages != null) {
            stages.merge(name, (double) (System.nanoTime() - t0), Double::sum);
        }
    }

    private static double peakRssMb() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .mapToDouble(l -> Double.parseDouble(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(-1);
    }

    private static String gcName() {
        return ManagementFactory.getGarbageCollectorMXBeans().stream().map(b -> b.getName())
                .collect(Collectors.joining("+"));
    }
}
