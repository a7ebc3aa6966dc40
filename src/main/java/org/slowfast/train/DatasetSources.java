package org.slowfast.train;

import org.slowfast.data.BatchSource;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipLoader;
import org.slowfast.data.video.SyntheticDataset;

/**
 * The config's train, precise-BN and val loaders (batch = devices × videos_per_gpu). When the config carries
 * {@code synthetic_data} and its train annotation file is missing, the dataset is generated first (make-synthetic).
 */
public final class DatasetSources implements Trainer.Sources {
    private final LoadedConfig loaded;
    private final int devices;
    private final PrintStream warnings;

    private DatasetSources(LoadedConfig loaded, int devices, PrintStream warnings) {
        this.loaded = loaded;
        this.devices = devices;
        this.warnings = warnings;
    }

    /** Checks the data keys and generates missing synthetic data; warnings (replaced samples) go to {@code warnings}. */
    public static DatasetSources prepare(LoadedConfig loaded, int devices, PrintStream warnings) {
        loaded.require("data.train");
        String annFile = loaded.config().data().train().base().annFile();
        if (annFile == null) {
            throw new SlowfastException(loaded.file() + ": data.train: ann_file is not set");
        }
        Path trainList = Path.of(annFile);
        Map<String, Object> synthetic = loaded.config().syntheticData();
        if (!Files.exists(trainList) && synthetic != null) {
            SyntheticDataset.Options o = syntheticOptions(synthetic);
            Path out = Path.of(String.valueOf(synthetic.getOrDefault("out_dir", "data/synthetic")));
            warnings.printf("%s is missing: generating the synthetic dataset (%d classes x %d videos) in %s%n",
                    trainList, o.classes(), o.videosPerClass(), out);
            SyntheticDataset.generate(out, o);
        }
        return new DatasetSources(loaded, devices, warnings);
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
        return ClipLoader.forSplit(loaded, "train", seed, devices, warnings::println);
    }

    @Override
    public BatchSource preciseBn(long seed) {
        return ClipLoader.forSplit(loaded, "train", seed, devices, warnings::println);
    }

    @Override
    public BatchSource val() {
        return ClipLoader.forSplit(loaded, "val", 0, devices, warnings::println);
    }
}
