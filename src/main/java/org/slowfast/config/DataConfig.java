package org.slowfast.config;

/**
 * {@code data}: batch sizes, workers and the train/val/test dataset dicts. Absent sizes are 1, as MMAction2's
 * {@code cfg.data.get('videos_per_gpu', 1)}; a {@code *_dataloader} dict overrides them for one split.
 * {@code persistent_workers} and {@code pin_memory} have no meaning on the JVM and are ignored.
 */
public record DataConfig(
        Integer videosPerGpu,
        Integer workersPerGpu,
        Boolean persistentWorkers,
        DataloaderConfig trainDataloader,
        DataloaderConfig valDataloader,
        DataloaderConfig testDataloader,
        DatasetConfig train,
        DatasetConfig val,
        DatasetConfig test) {

    public DataConfig {
        if (videosPerGpu == null) {
            videosPerGpu = 1;
        }
        if (workersPerGpu == null) {
            workersPerGpu = 1;
        }
    }

    /** The dataset dict of a split: "train", "val" or "test" (else null), as data.train / val / test. */
    public DatasetConfig dataset(String split) {
        return switch (split) {
            case "train" -> train;
            case "val" -> val;
            case "test" -> test;
            default -> null;
        };
    }

    /** Clips per device for a split: its {@code *_dataloader.videos_per_gpu}, else {@code data.videos_per_gpu}. */
    public int videosPerGpu(String split) {
        DataloaderConfig over = dataloader(split);
        return over != null && over.videosPerGpu() != null ? over.videosPerGpu() : videosPerGpu;
    }

    /** Loader threads per device for a split: its {@code *_dataloader.workers_per_gpu}, else the data's. */
    public int workersPerGpu(String split) {
        DataloaderConfig over = dataloader(split);
        return over != null && over.workersPerGpu() != null ? over.workersPerGpu() : workersPerGpu;
    }

    /** The {@code data.<split>_dataloader} override of a split, or null. */
    public DataloaderConfig dataloader(String split) {
        return switch (split) {
            case "train" -> trainDataloader;
            case "val" -> valDataloader;
            case "test" -> testDataloader;
            default -> null;
        };
    }

    /**
     * {@code data.*_dataloader}: {@code build_dataloader} arguments that override {@code data}'s for one split;
     * {@code pin_memory} and {@code persistent_workers} are accepted and ignored.
     */
    public record DataloaderConfig(
            Integer videosPerGpu, Integer workersPerGpu, Boolean dropLast, Boolean pinMemory,
            Boolean persistentWorkers) {}
}
