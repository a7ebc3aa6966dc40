package org.slowfast.data;

import com.fasterxml.jackson.databind.JsonNode;
import org.slowfast.config.DatasetConfig;

/**
 * MMAction2's RepeatDataset: the wrapped {@code dataset} {@code times} over, so one epoch visits each video
 * {@code times} times (each visit with its own random augmentation); index i is the wrapped dataset's
 * {@code i % len}. It runs in the wrapper's test mode, as MMAction2 sets {@code dataset['test_mode']}.
 */
final class RepeatDataset extends ClipDataset {
    private final ClipDataset inner;

    private RepeatDataset(ClipDataset inner, int times) {
        super(inner, times);
        this.inner = inner;
    }

    /** The wrapper of a dict that {@code ConfigChecks} accepted (a {@code dataset} and {@code times} ≥ 1). */
    static RepeatDataset wrap(DatasetConfig cfg, boolean testMode, Integer numClasses) {
        return new RepeatDataset(ClipDataset.of(cfg.dataset(), testMode, numClasses), cfg.times());
    }

    @Override
    protected void prepare(Sample sample, Entry entry) {
        inner.prepare(sample, entry);
    }

    @Override
    protected Entry parse(String[] tokens, int line) {
        throw new UnsupportedOperationException("RepeatDataset reads no annotations itself");
    }

    @Override
    protected Entry parse(JsonNode node) {
        throw new UnsupportedOperationException("RepeatDataset reads no annotations itself");
    }
}
