package org.slowfast.spark;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.apache.spark.api.java.function.MapPartitionsFunction;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.config.DatasetConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.BatchSource.Batch;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.ClipDataset.Entry;
import org.slowfast.data.ClipLoader;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.TestRunner;
import org.slowfast.eval.Views;
import org.slowfast.runtime.Progress;

/**
 * One task of the job: the videos of one partition through the test pipeline and the executor's model, as
 * {@code test} and {@code extract-features} run them (the config's test loader decodes the next batches on its
 * workers while the model runs). Each input row comes out with its columns plus the result columns; a video that
 * cannot be scored gets its one-line error instead, and the others go on.
 *
 * @param model        the executor's model
 * @param output       what each row gets: scores and pred_label, or features
 * @param averageViews features: the mean over the views instead of every view
 * @param columns      where the input row's path, label, total_frames and offset are
 * @param localSlots   the task slots of a local[N] master, 0 on a cluster
 */
public record PartitionScorer(ExecutorModel model, Output output, boolean averageViews, VideoTable.Columns columns,
        int localSlots) implements MapPartitionsFunction<Row, Row>, Serializable {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionScorer.class);

    /** The result columns a job adds after the input's; {@code error} is the last. */
    public enum Output {
        SCORES, FEATURES;

        int columns() {
            return this == SCORES ? 3 : 2;
        }
    }

    @Override
    public Iterator<Row> call(Iterator<Row> input) {
        List<Row> rows = new ArrayList<>();
        input.forEachRemaining(rows::add);
        if (rows.isEmpty()) {
            return rows.iterator();
        }
        ExecutorModel.useCoreShare(localSlots);
        ExecutorModel.Loaded loaded = model.get();
        Object[][] results = new Object[rows.size()][];
        String[] errors = new String[rows.size()];
        // rows that are no video (no path, a label the model does not have) fail here; the rest go to the loader
        List<Entry> entries = new ArrayList<>();
        List<Integer> rowOf = new ArrayList<>();
        Integer numClasses = loaded.model().numClasses();
        for (int r = 0; r < rows.size(); r++) {
            try {
                entries.add(columns.entry(rows.get(r), r, numClasses));
                rowOf.add(r);
            } catch (SlowfastException e) {
                errors[r] = e.getMessage();
            }
        }
        if (!entries.isEmpty()) {
            score(loaded, entries, (entry, result) -> results[rowOf.get(entry)] = result,
                    (entry, error) -> errors[rowOf.get(entry)] = error);
        }
        List<Row> out = new ArrayList<>(rows.size());
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            Object[] values = Arrays.copyOf(rowValues(row), row.size() + output.columns());
            if (errors[r] == null && results[r] == null) {
                errors[r] = "the data loader skipped this video"; // never expected: a loader bug, not a video's
            }
            Object[] result = errors[r] == null ? results[r] : new Object[output.columns() - 1];
            System.arraycopy(result, 0, values, row.size(), result.length);
            values[values.length - 1] = errors[r];
            out.add(RowFactory.create(values));
        }
        return out.iterator();
    }

    private interface Filed<T> {
        void accept(int entry, T value);
    }

    private void score(ExecutorModel.Loaded loaded, List<Entry> entries, Filed<Object[]> results,
            Filed<String> errors) {
        LoadedConfig cfg = loaded.config();
        DatasetConfig test = cfg.config().data().test().base();
        InferenceModel inference = loaded.model();
        ClipDataset dataset = ClipDataset.ofEntries(test, inference.numClasses(), entries);
        String[] failed = new String[entries.size()];
        try (ClipLoader loader = ClipLoader.forSplit(cfg, "test", dataset, 0, 1, LOG::warn,
                ClipLoader.DEFAULT_MAX_FAILURE_SHARE).skipBroken((error, index) -> failed[index] = error)) {
            Iterator<Batch> batches;
            try {
                batches = loader.epoch(0);
            } catch (SlowfastException e) { // no video of the partition loads: each one's error is filed
                batches = List.<Batch>of().iterator();
            }
            TestRunner.run(List.of(inference), batches, Progress.silent(),
                    output == Output.SCORES ? (m, b) -> m.predict(b.imgs(), b.shape())
                            : (m, b) -> m.features(b.imgs(), b.shape()),
                    (index, rows, label) -> results.accept(index, output == Output.SCORES ? scores(rows)
                            : new Object[] {averageViews ? Views.mean(rows) : rows}));
        }
        for (int i = 0; i < failed.length; i++) {
            if (failed[i] != null) {
                errors.accept(i, failed[i]);
            }
        }
    }

    /** scores (the averaged row; every view's logits one after the other with average_clips none) and pred_label. */
    private static Object[] scores(float[][] rows) {
        float[] mean = Views.mean(rows);
        int best = 0;
        for (int c = 1; c < mean.length; c++) {
            if (mean[c] > mean[best]) {
                best = c;
            }
        }
        return new Object[] {rows.length == 1 ? rows[0] : Views.concat(rows), best};
    }

    private static Object[] rowValues(Row row) {
        Object[] values = new Object[row.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = row.get(i);
        }
        return values;
    }


}
