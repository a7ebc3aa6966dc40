package org.slowfast.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import java.util.Random;
import org.slowfast.config.LoadedConfig;
import org.slowfast.config.OptimizerHookConfig;
import org.slowfast.model.Recognizer3D;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Devices;

/**
 * Training iterations exactly as {@code train} runs them ({@link DataParallel#step}: forward, cross entropy,
 * backward, replica average, {@code grad_clip}, SGD) on the replicas {@code train} would use, on seeded random input;
 * data loading excluded.
 */
public final class TrainBenchmark {
    /** Speed and memory of the timed iterations. */
    public record Result(int batch, double secondsPerIter, int threads, int replicas, long peakRssBytes) {
        public double clipsPerSecond() {
            return batch / secondsPerIter;
        }
    }

    private TrainBenchmark() {}

    /** Runs {@code warmup} untimed then {@code iters} timed iterations on a batch of {@code shape} (B×V×3×T×H×W). */
    public static Result run(LoadedConfig cfg, Device device, long[] shape, int warmup, int iters) {
        Engine.getInstance().setRandomSeed(0);
        float[] imgs = new float[Math.toIntExact(new Shape(shape).size())];
        Random random = new Random(0);
        for (int i = 0; i < imgs.length; i++) {
            imgs[i] = (float) random.nextGaussian();
        }
        int classes = cfg.config().model().clsHead().numClasses();
        int[] labels = new int[Math.toIntExact(shape[0])];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = i % classes;
        }
        OptimizerHookConfig.GradClip clip = cfg.config().optimizerConfig().gradClip();
        List<Device> devices = DataParallel.replicaDevices(List.of(device));
        try (DataParallel dp = new DataParallel(devices, () -> Recognizer3D.build(cfg), 0,
                new Shape(1).addAll(new Shape(shape).slice(2)), cfg.config().optimizer())) {
            long start = 0;
            for (int i = 0; i < warmup + iters; i++) {
                if (i == warmup) {
                    start = System.nanoTime();
                }
                dp.step(imgs, shape, labels, clip == null ? null : clip.maxNorm(), clip == null ? 2 : clip.normType());
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            int threads = device.isGpu() ? 1 : devices.size() * CpuThreads.trainingThreadsPerReplica();
            return new Result(labels.length, seconds / iters, threads, devices.size(), Devices.peakRssBytes());
        }
    }
}
