package org.slowfast.spark;

import ai.djl.Device;
import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.apache.spark.TaskContext;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.eval.InferenceModel;
import org.slowfast.model.AverageClips;
import org.slowfast.runtime.CpuThreads;

/**
 * The model of one job in an executor JVM: loaded by the first task that needs it and kept for every later task of
 * that JVM (a static holder; concurrent tasks share it). The config travels as its merged YAML, so executors need
 * none of its files; the checkpoint is read from its path, or from the task's working directory when it was shipped
 * with {@code --files}.
 *
 * @param configYaml  the merged config ({@link LoadedConfig#toYaml()})
 * @param checkpoint  the checkpoint's path on the driver
 * @param averageClips {@code --average-clips}, or null for the config's
 */
public record ExecutorModel(String configYaml, String checkpoint, AverageClips averageClips) implements Serializable {
    private static final Map<ExecutorModel, Loaded> LOADED = new HashMap<>();

    /** A loaded config and model. */
    public record Loaded(LoadedConfig config, InferenceModel model) {}

    /** This JVM's model of this job, loaded on first use. */
    public Loaded get() {
        synchronized (LOADED) {
            Loaded loaded = LOADED.get(this);
            if (loaded == null) {
                LoadedConfig cfg = config();
                loaded = new Loaded(cfg, InferenceModel.load(cfg, localCheckpoint(), Device.cpu(), averageClips));
                LOADED.put(this, loaded);
            }
            return loaded;
        }
    }

    /** The config, re-read from its merged YAML. */
    LoadedConfig config() {
        try {
            Path file = Files.createTempFile("slowfast-spark-config", ".yaml");
            try {
                Files.writeString(file, configYaml);
                return LoadedConfig.load(file, List.of());
            } finally {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Path localCheckpoint() {
        Path file = Path.of(checkpoint);
        if (Files.isRegularFile(file) || TaskContext.get() == null) {
            return file;
        }
        Path shipped = Path.of(SparkFiles.get(file.getFileName().toString()));
        if (!Files.isRegularFile(shipped)) {
            throw new SlowfastException(checkpoint + ": no such file on executor " + SparkEnv.get().executorId()
                    + " (put it on a shared filesystem, or ship it with --files)");
        }
        return shipped;
    }

    /**
     * Sets this executor's intra-op threads to its cores ÷ its task slots, once per JVM: {@code spark.executor.cores}
     * (else every processor) over {@code spark.task.cpus} per task; {@code localSlots} > 0 is the slot count of a
     * local[N] master, whose one JVM is driver and executor.
     */
    static void useCoreShare(int localSlots) {
        int processors = Runtime.getRuntime().availableProcessors();
        int slots;
        if (localSlots > 0) {
            slots = localSlots;
        } else {
            int cores = SparkEnv.get().conf().getInt("spark.executor.cores", processors);
            slots = Math.max(1, cores / Math.max(1, SparkEnv.get().conf().getInt("spark.task.cpus", 1)));
            processors = Math.min(processors, cores);
        }
        CpuThreads.setCores(Math.max(1, processors / slots));
    }
}
