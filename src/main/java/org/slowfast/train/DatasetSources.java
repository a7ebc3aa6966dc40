package org.slowfast.train;

import org.slowfast.data.BatchSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipLoader;
import org.slowfast.data.video.SyntheticDataset;
import org.slowfast.runtime.LaunchEnv;
import java.util.concurrent.TimeUnit;

/**
 * The config's train, precise-BN and val loaders (batch = devices × videos_per_gpu), each of this process's shard in
 * a multi-process run. When the config carries
 * {@code synthetic_data}, its {@code out_dir} does not exist and the train annotation file lies inside it, the
 * dataset is generated first (make-synthetic). Existing data is never regenerated or overwritten, and a train
 * annotation file elsewhere (a typo, the user's own data) never triggers generation. Local rank 0 generates; the other processes on the machine wait.
 */
public final class DatasetSources implements Trainer.Sources {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetSources.class);
    private final LoadedConfig loaded;
    private final int devices;
    private final LaunchEnv env;

    private DatasetSources(LoadedConfig loaded, int devices, LaunchEnv env) {
        this.loaded = loaded;
        this.devices = devices;
        this.env = env;
    }

    /** Checks the data keys and generates missing synthetic data; warnings (replaced samples) are logged. */
    public static DatasetSources prepare(LoadedConfig loaded, int devices) {
        return prepare(loaded, devices, LaunchEnv.single());
    }

    /** {@link #prepare(LoadedConfig, int)} for the process {@code env} of a multi-process run. */
    public static DatasetSources prepare(LoadedConfig loaded, int devices, LaunchEnv env) {
        loaded.require("data.train");
        String annFile = loaded.config().data().train().base().annFile();
        if (annFile == null) {
            throw new SlowfastException(loaded.file() + ": data.train: ann_file is not set");
        }
        Path trainList = Path.of(annFile);
        Map<String, Object> synthetic = loaded.config().syntheticData();
        Path out = synthetic == null ? null
                : Path.of(String.valueOf(synthetic.getOrDefault("out_dir", "data/synthetic")));
        if (out != null && isInside(trainList, out)) {
            SyntheticDataset.Options o = syntheticOptions(synthetic);
            if (env.localRank() != 0) {
                awaitSynthetic(out.resolve(o.format().listName("val")));
            } else if (!Files.exists(out)) {
                LOG.info("{} is missing: generating the synthetic dataset ({} classes x {} videos) in {}",
                        trainList, o.classes(), o.videosPerClass(), out);
                SyntheticDataset.generate(out, o);
            }
        }
        return new DatasetSources(loaded, devices, env);
    }

    private static boolean isInside(Path file, Path dir) {
        return file.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize());
    }

    /** Waits for local rank 0 to finish the synthetic dataset (its val list is written last). */
    private static void awaitSynthetic(Path lastFile) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(30);
        while (!Files.exists(lastFile)) {
            if (System.nanoTime() > deadline) {
                throw new SlowfastException(lastFile + ": local rank 0 did not finish the synthetic dataset in 30 min");
            }
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new SlowfastException("interrupted while waiting for the synthetic dataset");
            }
        }
    }

    private static SyntheticDataset.Options syntheticOptions(Map<String, Object> m) {
        SyntheticDataset.Options d = SyntheticDataset.Options.defaults();
        try {
            int classes = intOf(m, "classes", d.classes());
            int perClass = intOf(m, "videos_per_class", d.videosPerClass());
            String[] size = String.valueOf(m.getOrDefault("size", d.width() + "x" + d.height())).split("x");
            String format = String.valueOf(m.getOrDefault("format", "rawframes")).toLowerCase(Locale.ROOT);
            return new SyntheticDataset.Options(classes, perClass, SyntheticDataset.Options.defaultValPerClass(perClass),
                    intOf(m, "frames", d.frames()), Integer.parseInt(size[0]), Integer.parseInt(size[1]),
                    "mp4".equals(format) ? SyntheticDataset.Format.MP4 : SyntheticDataset.Format.RAWFRAMES,
                    intOf(m, "seed", 0));
        } catch (SlowfastException e) {
            throw new SlowfastException("synthetic_data: " + e.getMessage());
        } catch (RuntimeException e) {
            throw new SlowfastException("synthetic_data: invalid value (" + e + ")");
        }
    }

    private static int intOf(Map<String, Object> m, String key, int fallback) {
        Object v = m.get(key);
        return v == null ? fallback : ((Number) v).intValue();
    }

    @Override
    public BatchSource train(long seed) {
        return loader("train", seed);
    }

    @Override
    public BatchSource preciseBn(long seed) {
        return loader("train", seed);
    }

    @Override
    public BatchSource val() {
        return loader("val", 0);
    }

    private ClipLoader loader(String split, long seed) {
        return ClipLoader.forSplit(loaded, split, seed, devices, null).shard(env.rank(), env.worldSize());
    }
}
