package org.slowfast.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.BatchSource.Batch;

/**
 * Data pipeline throughput: clips/s and peak RSS of {@link ClipLoader} on one split of a config, at a given worker
 * count; the numbers in docs/benchmarks.md, "Data pipeline". Not a unit test. One run per JVM (peak RSS is per
 * process): {@code java -cp target/classes:target/test-classes:$(cat cp.txt) org.slowfast.data.PipelineBenchmark
 * CONFIG SPLIT WORKERS BATCH EPOCHS [KEY=VALUE ...]} (the key-values are --cfg-options), after
 * {@code mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt}. The first epoch is a warm-up.
 */
public final class PipelineBenchmark {
    private PipelineBenchmark() {}

    public static void main(String[] args) throws IOException {
        LoadedConfig cfg = LoadedConfig.load(Path.of(args[0]), List.of(args).subList(5, args.length));
        String split = args[1];
        int workers = Integer.parseInt(args[2]);
        int batch = Integer.parseInt(args[3]);
        int epochs = Integer.parseInt(args[4]);
        ClipDataset dataset = ClipDataset.build(cfg, split);
        ClipLoader.Options options = new ClipLoader.Options(batch, workers, "train".equals(split), false, 0,
                Math.max(2, 2 * workers), ClipLoader.DEFAULT_MAX_FAILURE_SHARE);
        try (ClipLoader loader = new ClipLoader(dataset, options, System.err::println)) {
            long[] shape = loader.sampleShape();
            long clips = 0;
            long start = 0;
            for (int e = 0; e <= epochs; e++) {
                if (e == 1) {
                    start = System.nanoTime();
                }
                for (Iterator<Batch> it = loader.epoch(e); it.hasNext(); ) {
                    Batch b = it.next();
                    if (e > 0) {
                        clips += b.labels().length;
                    }
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("%s %s workers=%d batch=%d sample=%s clips=%d time=%.2fs clips/s=%.2f peakRSS=%s%n",
                    Path.of(args[0]).getFileName(), split, workers, batch, java.util.Arrays.toString(shape), clips,
                    seconds, clips / seconds, peakRss());
        }
    }

    private static String peakRss() throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmHWM"))
                .map(l -> l.replaceAll("\\s+", " ").substring(7)).findFirst().orElse("?");
    }
}
