package org.slowfast.data;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.ObjIntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.config.DataConfig;
import org.slowfast.config.DatasetConfig;
import org.slowfast.data.pipeline.FormatShape;
import org.slowfast.config.LoadedConfig;
import org.slowfast.runtime.DistributedSampler;
import org.slowfast.runtime.Memory;

/**
 * MMAction2's DataLoader on threads: batches of formatted clips built by {@code workers} threads, at most
 * {@code prefetch} batches ahead, returned in order whatever the worker count. Training loaders shuffle with a
 * generator seeded by (seed, epoch), so any epoch can be replayed, and replace a sample that fails to load by a
 * seeded random other one (warning with the file; the epoch stops with an error once more than
 * {@code maxFailureShare} of its samples failed). Test loaders fail on the first broken sample.
 */
public final class ClipLoader implements BatchSource {
    /** How a split is loaded. {@code workers} 0 loads in the calling thread. */
    public record Options(int batchSize, int workers, boolean shuffle, boolean dropLast, long seed, int prefetch,
            double maxFailureShare) {
        public Options {
            if (batchSize < 1 || workers < 0 || prefetch < 1 || maxFailureShare < 0) {
                throw new IllegalArgumentException("bad loader options");
            }
        }
    }

    /** The default share of failed samples above which training stops. */
    public static final double DEFAULT_MAX_FAILURE_SHARE = 0.1;
    private static final int MAX_ATTEMPTS = 100;
    private static final int LISTED_FILES = 5;
    private static final Logger LOG = LoggerFactory.getLogger(ClipLoader.class);

    private final ClipDataset dataset;
    private final Options options;
    private final Consumer<String> warnings;
    private final ExecutorService pool;
    private long[] sampleShape;
    private int sampleLength;
    private EpochIterator current;
    private int shardRank;
    private int shardWorld = 1;
    private ObjIntConsumer<String> broken;
    /** Dataset indices whose failure was already named: each bad file is named once, however often it fails. */
    private final Set<Integer> named = new HashSet<>();

    public ClipLoader(ClipDataset dataset, Options options, Consumer<String> warnings) {
        if (dataset.multiClass() && !dataset.testMode()) {
            throw new SlowfastException(dataset.annFile() + ": multi_class datasets cannot be trained on (one int "
                    + "label per clip; test and eval-metric take them)");
        }
        this.dataset = dataset;
        this.options = options;
        this.warnings = warnings == null ? LOG::warn : warnings;
        AtomicInteger n = new AtomicInteger();
        this.pool = options.workers() == 0 ? null : Executors.newFixedThreadPool(options.workers(), r -> {
            Thread t = new Thread(r, "clip-loader-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * The loader of a config's split as tools/train.py and tools/test.py build it: batch = devices ×
     * videos_per_gpu and workers = devices × workers_per_gpu (data.{split}_dataloader overrides both), shuffled
     * only for training; drop_last from data.train_dataloader.
     */
    public static ClipLoader forSplit(LoadedConfig loaded, String split, long seed, int devices,
            Consumer<String> warnings) {
        return forSplit(loaded, split, seed, devices, warnings, DEFAULT_MAX_FAILURE_SHARE);
    }

    /** {@link #forSplit(LoadedConfig, String, long, int, Consumer)} with the share of failed samples that stops. */
    public static ClipLoader forSplit(LoadedConfig loaded, String split, long seed, int devices,
            Consumer<String> warnings, double maxFailureShare) {
        requireModelInput(loaded, split);
        return forSplit(loaded, split, ClipDataset.build(loaded, split), seed, devices, warnings, maxFailureShare);
    }

    /** The loader of a split's batches and workers, as {@link #forSplit}, over {@code dataset} (that split's videos). */
    public static ClipLoader forSplit(LoadedConfig loaded, String split, ClipDataset dataset, long seed, int devices,
            Consumer<String> warnings, double maxFailureShare) {
        requireModelInput(loaded, split);
        DataConfig data = loaded.config().data();
        DataConfig.DataloaderConfig over = data.dataloader(split);
        boolean train = "train".equals(split);
        boolean dropLast = over != null && over.dropLast() != null && over.dropLast();
        int batch = devices * data.videosPerGpu(split);
        int threads = devices * data.workersPerGpu(split);
        return new ClipLoader(dataset, new Options(batch, threads, train, dropLast, seed, Math.max(2, 2 * threads),
                maxFailureShare), warnings);
    }

    /** Batches need a model input: the split's pipeline must have a FormatShape step (else an error naming the key). */
    private static void requireModelInput(LoadedConfig loaded, String split) {
        DataConfig data = loaded.config().data();
        DatasetConfig wrapper = data == null ? null : data.dataset(split);
        DatasetConfig d = wrapper == null ? null : wrapper.base();
        if (d != null && d.pipeline() != null && !d.pipeline().isEmpty()
                && d.pipeline().stream().noneMatch(FormatShape.class::isInstance)) {
            throw loaded.error(wrapper.baseKey("data." + split) + ".pipeline", "the pipeline has no FormatShape step,"
                    + " so it gives no model input (browse-dataset can show its frames)");
        }
    }

    public ClipDataset dataset() {
        return dataset;
    }

    /**
     * Loads only rank {@code rank}'s share of every epoch ({@link DistributedSampler}; padded when shuffling, so
     * every training rank takes the same number of steps). Returns this loader.
     */
    public ClipLoader shard(int rank, int world) {
        if (world < 1 || rank < 0 || rank >= world) {
            throw new IllegalArgumentException("rank " + rank + " of " + world);
        }
        this.shardRank = rank;
        this.shardWorld = world;
        return this;
    }

    /**
     * A test loader that does not stop at a sample that fails to load: {@code failed} receives its one-line error and
     * annotation index (possibly more than once), and its batch comes without it (a batch may come empty). Returns
     * this loader.
     */
    public ClipLoader skipBroken(ObjIntConsumer<String> failed) {
        if (!dataset.testMode()) {
            throw new IllegalStateException("training loaders replace broken samples");
        }
        this.broken = failed;
        return this;
    }

    @Override
    public int length() {
        int n = DistributedSampler.shardSize(dataset.size(), shardRank, shardWorld, options.shuffle());
        int b = options.batchSize();
        return options.dropLast() ? n / b : (n + b - 1) / b;
    }

    @Override
    public int size() {
        return dataset.size();
    }

    /** The shape of one clip (views × 3 × T × H × W), from the first sample that loads. */
    @Override
    public synchronized long[] sampleShape() {
        if (sampleShape == null) {
            SlowfastException first = null;
            int attempts = broken != null ? dataset.size() : Math.min(dataset.size(), MAX_ATTEMPTS);
            for (int i = 0; i < attempts; i++) {
                try {
                    Sample s = dataset.sample(i, options.seed(), 0);
                    sampleShape = s.inputShape;
                    sampleLength = s.outputLength();
                    break;
                } catch (SlowfastException e) {
                    if (broken != null) {
                        broken.accept(e.getMessage(), i);
                    } else if (dataset.testMode()) {
                        throw e;
                    }
                    first = first == null ? e : first;
                }
            }
            if (sampleShape == null) {
                throw first;
            }
            double batchBytes = (double) Float.BYTES * options.batchSize() * sampleLength;
            if (batchBytes > Memory.heapBytes()) {
                throw new SlowfastException(dataset.annFile() + ": one batch of " + options.batchSize() + " clips of "
                        + Arrays.toString(sampleShape) + " floats needs " + Memory.format(batchBytes) + ", more than "
                        + Memory.describeHeap() + "; lower data.videos_per_gpu or clip_len");
            }
        }
        return sampleShape.clone();
    }

    /**
     * The sample order of {@code epoch}: a seeded permutation when shuffling, else annotation order; of this rank's
     * shard when {@link #shard sharded}.
     */
    public int[] order(int epoch) {
        int n = dataset.size();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        if (options.shuffle()) {
            Random rng = ClipDataset.random(options.seed(), epoch, -1, 0);
            for (int i = n - 1; i > 0; i--) {
                int j = rng.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
        }
        return shardWorld == 1 ? order : DistributedSampler.shard(order, shardRank, shardWorld, options.shuffle());
    }

    @Override
    public synchronized Iterator<Batch> epoch(int epoch) {
        sampleShape();
        if (current != null) {
            current.cancel();
        }
        current = new EpochIterator(epoch, order(epoch));
        return current;
    }

    @Override
    public synchronized void close() {
        if (current != null) {
            current.cancel();
        }
        if (pool != null) {
            pool.shutdownNow();
            try {
                pool.awaitTermination(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A loaded batch and the samples that failed and were replaced while loading it. */
    private record Loaded(Batch batch, List<Failure> failures) {}

    /** A sample that failed to load: its dataset index and the one-line error. */
    private record Failure(int index, String message) {}

    private Loaded load(int epoch, int[] order, int batchIndex) {
        int from = batchIndex * options.batchSize();
        int n = Math.min(options.batchSize(), order.length - from);
        float[] imgs = new float[n * sampleLength];
        int[] labels = new int[n];
        int[] indices = new int[n];
        List<Failure> failures = new ArrayList<>();
        int j = 0;
        for (int k = 0; k < n; k++) {
            int index = order[from + k];
            Sample s = null;
            for (int attempt = 0; s == null; attempt++) {
                try {
                    s = dataset.sample(index, ClipDataset.random(options.seed(), epoch, index, attempt), imgs,
                            j * sampleLength);
                } catch (SlowfastException e) {
                    if (broken != null) {
                        broken.accept(e.getMessage(), index);
                        break;
                    }
                    if (dataset.testMode() || attempt + 1 >= MAX_ATTEMPTS) {
                        throw e;
                    }
                    failures.add(new Failure(index, e.getMessage()));
                    index = ClipDataset.random(options.seed(), epoch, index, attempt + 1).nextInt(dataset.size());
                }
            }
            if (s != null && !Arrays.equals(s.inputShape, sampleShape)) {
                String message = s.file + ": clip shape " + Arrays.toString(s.inputShape)
                        + " differs from the first clip's " + Arrays.toString(sampleShape);
                if (broken == null) {
                    throw new SlowfastException(message);
                }
                broken.accept(message, index);
                s = null;
            }
            if (s != null) {
                labels[j] = s.label;
                indices[j++] = index;
            }
        }
        if (j < n) {
            imgs = Arrays.copyOf(imgs, j * sampleLength);
            labels = Arrays.copyOf(labels, j);
            indices = Arrays.copyOf(indices, j);
            n = j;
        }
        long[] shape = new long[sampleShape.length + 1];
        shape[0] = n;
        System.arraycopy(sampleShape, 0, shape, 1, sampleShape.length);
        return new Loaded(new Batch(imgs, shape, labels, indices), failures);
    }

    private final class EpochIterator implements Iterator<Batch> {
        private final int epoch;
        private final int[] order;
        private final int batches = length();
        private final ArrayDeque<Future<Loaded>> pending = new ArrayDeque<>();
        private final List<String> failures = new ArrayList<>();
        private int submitted;
        private int returned;
        private int samples;

        EpochIterator(int epoch, int[] order) {
            this.epoch = epoch;
            this.order = order;
        }

        @Override
        public boolean hasNext() {
            return returned < batches;
        }

        @Override
        public Batch next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            Loaded loaded;
            if (pool == null) {
                loaded = load(epoch, order, returned);
            } else {
                while (submitted < batches && submitted < returned + options.prefetch()) {
                    int b = submitted++;
                    pending.add(pool.submit(() -> load(epoch, order, b)));
                }
                loaded = await(pending.poll());
            }
            returned++;
            samples += loaded.batch().labels().length;
            account(loaded.failures());
            if (!hasNext() && !failures.isEmpty()) {
                warnings.accept("epoch " + (epoch + 1) + ": " + failures.size() + " of " + samples
                        + " samples failed to load and were replaced");
            }
            return loaded.batch();
        }

        private void account(List<Failure> newFailures) {
            for (Failure f : newFailures) {
                if (named.add(f.index())) {
                    warnings.accept("replacing a sample that failed to load: " + f.message());
                }
                failures.add(f.message());
            }
            int epochSamples = options.dropLast() ? batches * options.batchSize() : order.length;
            if (failures.size() > options.maxFailureShare() * epochSamples) {
                cancel();
                throw new SlowfastException(failures.size() + " samples failed to load in epoch " + (epoch + 1)
                        + " (more than " + Math.round(100 * options.maxFailureShare()) + "% of " + epochSamples
                        + "); first: " + String.join("; ", failures.subList(0, Math.min(LISTED_FILES,
                        failures.size()))));
            }
        }

        private Loaded await(Future<Loaded> f) {
            try {
                return f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                cancel();
                throw new SlowfastException("data loading was interrupted");
            } catch (ExecutionException e) {
                cancel();
                if (e.getCause() instanceof RuntimeException r) {
                    throw r;
                }
                throw new IllegalStateException(e.getCause());
            }
        }

        void cancel() {
            for (Future<Loaded> f : pending) {
                f.cancel(true);
            }
            pending.clear();
            submitted = batches;
        }
    }
}
