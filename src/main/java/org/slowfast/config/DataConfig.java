package org.slowfast.config;

/** {@code data}: batch sizes, workers and the train/val/test dataset dicts. */
public record DataConfig(
        Integer videosPerGpu,
        Integer workersPerGpu,
        DataloaderConfig trainDataloader,
        DataloaderConfig valDataloader,
        DataloaderConfig testDataloader,
        DatasetConfig train,
        DatasetConfig val,
        DatasetConfig test) {

    public DataConfig {
        if (workersPerGpu == null) {
            workersPerGpu = 2;
        }
    }

    /** {@code data.*_dataloader}: overrides of the batch size, worker count and drop_last for one split. */
    public record DataloaderConfig(Integer videosPerGpu, Integer workersPerGpu, Boolean dropLast) {}
}
