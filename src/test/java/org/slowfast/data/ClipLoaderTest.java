package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;
import org.slowfast.data.BatchSource.Batch;

class ClipLoaderTest {
    @TempDir Path root;

    static ClipLoader.Options options(int batch, int workers, boolean shuffle, boolean dropLast, double share) {
        return new ClipLoader.Options(batch, workers, shuffle, dropLast, 7, 3, share);
    }

    static List<Batch> epoch(ClipLoader loader, int epoch) {
        List<Batch> out = new ArrayList<>();
        loader.epoch(epoch).forEachRemaining(out::add);
        return out;
    }

    ClipDataset trainSet(int videos) {
        int[] frames = new int[videos];
        Arrays.fill(frames, 12);
        TinyData.rawframes(root, frames, 4, 16, 12);
        return ClipDataset.build(TinyData.config(root, TinyData.TRAIN_PIPELINE, ""), "train");
    }

    @Test
    void batchesDoNotDependOnTheWorkerCountAndEpochsReplay() {
        ClipDataset ds = trainSet(7);
        List<List<Batch>> runs = new ArrayList<>();
        for (int workers : new int[] {0, 1, 3}) {
            try (ClipLoader loader = new ClipLoader(ds, options(2, workers, true, false, 0.1), null)) {
                assertEquals(4, loader.length());
                assertArrayEquals(new long[] {1, 3, 4, 8, 8}, loader.sampleShape());
                runs.add(epoch(loader, 3));
            }
        }
        for (List<Batch> run : runs.subList(1, 3)) {
            for (int b = 0; b < 4; b++) {
                assertArrayEquals(runs.get(0).get(b).imgs(), run.get(b).imgs());
                assertArrayEquals(runs.get(0).get(b).indices(), run.get(b).indices());
                assertArrayEquals(runs.get(0).get(b).labels(), run.get(b).labels());
            }
        }
        Batch last = runs.get(0).get(3);
        assertArrayEquals(new long[] {1, 1, 3, 4, 8, 8}, last.shape());
        int[] seen = runs.get(0).stream().flatMapToInt(b -> Arrays.stream(b.indices())).sorted().toArray();
        assertArrayEquals(new int[] {0, 1, 2, 3, 4, 5, 6}, seen);
        try (ClipLoader loader = new ClipLoader(ds, options(2, 2, true, true, 0.1), null)) {
            assertEquals(3, loader.length());
            assertFalse(Arrays.equals(loader.order(0), loader.order(1)));
            assertArrayEquals(loader.order(3), loader.order(3));
            List<Batch> e3 = epoch(loader, 3);
            assertEquals(3, e3.size());
            assertArrayEquals(runs.get(0).get(0).imgs(), e3.get(0).imgs());
            // labels follow the annotation list (label = video % 4)
            for (Batch b : e3) {
                for (int j = 0; j < b.labels().length; j++) {
                    assertEquals(b.indices()[j] % 4, b.labels()[j]);
                }
            }
        }
    }

    @Test
    void testLoaderKeepsAnnotationOrder() {
        TinyData.rawframes(root, new int[] {12, 12, 12}, 4, 12, 8);
        ClipDataset ds = ClipDataset.build(TinyData.config(root, TinyData.TEST_PIPELINE, ""), "test");
        try (ClipLoader loader = new ClipLoader(ds, options(2, 2, false, false, 0.1), null)) {
            List<Batch> batches = epoch(loader, 0);
            assertArrayEquals(new int[] {0, 1}, batches.get(0).indices());
            assertArrayEquals(new int[] {2}, batches.get(1).indices());
            assertArrayEquals(new long[] {2, 6, 3, 4, 8, 8}, batches.get(0).shape());
            float[] single = ds.sample(1, 7, 0).out;
            assertArrayEquals(single, Arrays.copyOfRange(batches.get(0).imgs(), single.length, 2 * single.length));
        }
    }

    @Test
    void trainingReplacesBrokenSamplesAndStopsAboveTheShare() throws Exception {
        ClipDataset ds = trainSet(10);
        for (int f = 1; f <= 12; f++) {
            Files.delete(root.resolve(String.format("rawframes/vid4/img_%05d.png", f)));
            Files.delete(root.resolve(String.format("rawframes/vid7/img_%05d.png", f)));
        }
        List<String> warnings = new ArrayList<>();
        try (ClipLoader loader = new ClipLoader(ds, options(2, 2, true, false, 0.5), warnings::add)) {
            List<Batch> batches = epoch(loader, 0);
            int[] used = batches.stream().flatMapToInt(b -> Arrays.stream(b.indices())).toArray();
            assertEquals(10, used.length);
            assertFalse(Arrays.stream(used).anyMatch(i -> i == 4 || i == 7));
            assertTrue(warnings.stream().anyMatch(w -> w.contains("rawframes/vid4/img_")), warnings.toString());
            assertTrue(warnings.stream().anyMatch(w -> w.contains("rawframes/vid7/")), warnings.toString());
            assertTrue(warnings.get(warnings.size() - 1).matches("epoch 1: \\d+ of 10 samples failed to load.*"),
                    warnings.toString());
        }
        try (ClipLoader loader = new ClipLoader(ds, options(2, 2, true, false, 0.1), s -> { })) {
            Iterator<Batch> it = loader.epoch(0);
            SlowfastException e = assertThrows(SlowfastException.class, () -> it.forEachRemaining(b -> { }));
            assertTrue(e.getMessage().contains("more than 10% of 10"), e.getMessage());
            assertTrue(e.getMessage().contains("rawframes/vid"), e.getMessage());
        }
        ClipDataset test = ClipDataset.build(TinyData.config(root, TinyData.TRAIN_PIPELINE, ""), "val");
        try (ClipLoader loader = new ClipLoader(test, options(2, 2, false, false, 0.1), null)) {
            Iterator<Batch> it = loader.epoch(0);
            SlowfastException e = assertThrows(SlowfastException.class, () -> it.forEachRemaining(b -> { }));
            assertTrue(e.getMessage().startsWith(root.resolve("rawframes/vid4/img_").toString()),
                    e.getMessage());
        }
    }

    /**
     * skipBroken (the Spark job's loader): a test sample that fails is reported with its index and left out of its
     * batch; the others come with the clips a whole-dataset loader gives them. The dataset holds given entries
     * (ClipDataset.ofEntries), the first of them broken, so the clip shape comes from the next one.
     */
    @Test
    void skipBrokenReportsFailedTestSamplesAndLoadsTheRest() throws Exception {
        TinyData.rawframes(root, new int[] {12, 12, 12, 12}, 4, 12, 8);
        ClipDataset all = ClipDataset.build(TinyData.config(root, TinyData.TEST_PIPELINE, ""), "test");
        for (int f = 1; f <= 12; f++) {
            Files.delete(root.resolve(String.format("rawframes/vid2/img_%05d.png", f)));
        }
        List<ClipDataset.Entry> entries = List.of(all.entry(2), all.entry(0), all.entry(3), all.entry(1));
        ClipDataset given = ClipDataset.ofEntries(all.config(), 4, entries);
        String[] failed = new String[4];
        try (ClipLoader loader = new ClipLoader(given, options(2, 2, false, false, 0.1), null)
                .skipBroken((error, index) -> failed[index] = error)) {
            List<Batch> batches = epoch(loader, 0);
            assertArrayEquals(new int[] {1}, batches.get(0).indices());
            assertArrayEquals(new long[] {1, 6, 3, 4, 8, 8}, batches.get(0).shape());
            assertArrayEquals(new int[] {2, 3}, batches.get(1).indices());
            float[] clip = all.sample(3, 7, 0).out;
            assertArrayEquals(clip, Arrays.copyOfRange(batches.get(1).imgs(), 0, clip.length));
        }
        assertTrue(failed[0].startsWith(root.resolve("rawframes/vid2/img_").toString()), failed[0]);
        assertEquals(Arrays.asList(failed[0], null, null, null), Arrays.asList(failed));
    }

    @Test
    void closeStopsTheWorkersOfAnAbandonedEpoch() throws Exception {
        ClipDataset ds = trainSet(6);
        java.util.Set<Thread> before = loaderThreads();
        ClipLoader loader = new ClipLoader(ds, options(1, 2, true, false, 0.1), null);
        Iterator<Batch> it = loader.epoch(0);
        it.next();
        Iterator<Batch> again = loader.epoch(1);
        assertEquals(6, countRemaining(again));
        loader.epoch(2).next();
        loader.close();
        java.util.Set<Thread> after = loaderThreads();
        after.removeAll(before);
        // a terminated pool's thread may still be unwinding (ThreadPoolExecutor.tryTerminate); it must end promptly
        for (Thread t : after) {
            t.join(5000);
        }
        after.removeIf(t -> !t.isAlive());
        assertEquals(java.util.Set.of(), after);
    }

    static java.util.Set<Thread> loaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("clip-loader-") && t.isAlive())
                .collect(java.util.stream.Collectors.toSet());
    }

    static int countRemaining(Iterator<Batch> it) {
        int n = 0;
        while (it.hasNext()) {
            it.next();
            n++;
        }
        return n;
    }

    @Test
    void aBatchBeyondTheHeapIsOneErrorBeforeItIsAllocated() {
        ClipDataset ds = trainSet(4);
        int batch = 100_000_000;
        try (ClipLoader loader = new ClipLoader(ds, options(batch, 0, true, false, 0.1), null)) {
            SlowfastException e = assertThrows(SlowfastException.class, loader::sampleShape);
            assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(ds.annFile() + ": one batch of " + batch
                    + " clips of [") + "[0-9, ]+\\] floats needs [0-9.]+ [GTP]iB, more than the [0-9.]+ [MGT]iB JVM "
                    + "heap \\(-Xmx, set with SLOWFAST_OPTS\\); lower data.videos_per_gpu or clip_len"), e.getMessage());
        }
    }
}
