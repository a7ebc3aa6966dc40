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

/**
 * The config's train, precise-BN and val loaders (batch = devices × videos_per_gpu). When the config carries
 * {@code synthetic_data}, its {@code out_dir} does not exist and the train annotation file lies inside it, the
 * dataset is generated first (make-synthetic). Existing data is never regenerated or overwritten, and a train
 * annotation file elsewhere (a typo, the user's own data) never triggers generation.
 */
public final class DatasetSources implements Trainer.Sources {
    private static final Logger LOG = LoggerFactory.getLogger(DatasetSources.class);
    private final LoadedConfig loaded;
    private final int devices;

    private DatasetSources(LoadedConfig loaded, int devices) {
        this.loaded = loaded;
        this.devices = devices;
    }

    /** Checks the data keys and generates missing synthetic data; warnings (replaced samples) are logged. */
    public static DatasetSources prepare(LoadedConfig loaded, int devices) {
        loaded.require("data.train");
        String annFile = loaded.config().data().train().base().annFile();
        if (annFile == null) {
            throw new SlowfastException(loaded.file() + ": data.train: ann_file is not set");
        }
        Path trainList = Path.of(annFile);
        Map<String, Object> synthetic = loaded.config().syntheticData();
        Path out = synthetic == null ? null
                : Path.of(String.valueOf(synthetic.getOrDefault("out_dir", "data/synthetic")));
        if (out != null && !Files.exists(out) && isInside(trainList, out)) {
            SyntheticDataset.Options o = syntheticOptions(synthetic);
            LOG.info("{} is missing: generating the synthetic dataset ({} classes x {} videos) in {}",
                    trainList, o.classes(), o.videosPerClass(), out);
            SyntheticDataset.generate(out, o);
        }
        return new DatasetSources(loaded, devices);
    }

    private static boolean isInside(Path file, Path dir) {
        return file.toAbsolutePath().normalize().startsWith(dir.toAbsolutePath().normalize());
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
        return ClipLoader.forSplit(loaded, "train", seed, devices, null);
    }

    @Override
    public BatchSource preciseBn(long seed) {
        return ClipLoader.forSplit(loaded, "train", seed, devices, null);
    }

    @Override
    public BatchSource val() {
        return ClipLoader.forSplit(loaded, "val", 0, devices, null);
    }
}
