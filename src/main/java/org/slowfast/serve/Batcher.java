package org.slowfast.serve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.api.Prediction;
import org.slowfast.api.VideoClassifier;
import org.slowfast.api.VideoClassifier.Clip;

/**
 * TorchServe's dynamic batching. A request takes one of {@code queueSize} slots (none free: rejected) and its video
 * is decoded and run through the test pipeline on a pool of {@code workers} threads. Prepared clips wait in a queue;
 * one batching thread takes the first, then more until it holds {@code batchSize} or {@code maxBatchDelay} ms have
 * passed since the first was ready, and runs them as one forward. The slot is freed when the answer is complete.
 */
final class Batcher implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Batcher.class);

    private final class Job {
        byte[] video;
        final long arrived = System.nanoTime();
        final CompletableFuture<Prediction> result = new CompletableFuture<>();
        Clip clip;
        long prepareNanos;
        long ready;

        Job(byte[] video) {
            this.video = video;
        }
    }

    private final VideoClassifier classifier;
    private final int batchSize;
    private final long maxDelayNanos;
    private final ServeMetrics metrics;
    private final int queueSize;
    private final Semaphore slots;
    private final ExecutorService workers;
    private final BlockingQueue<Job> ready = new LinkedBlockingQueue<>();
    private final Thread batching;
    private volatile boolean closed;

    Batcher(VideoClassifier classifier, int batchSize, int maxBatchDelayMs, int workers, int queueSize,
            ServeMetrics metrics) {
        this.classifier = classifier;
        this.batchSize = batchSize;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxBatchDelayMs);
        this.metrics = metrics;
        this.queueSize = queueSize;
        this.slots = new Semaphore(queueSize);
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "serve-preprocess-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.batching = new Thread(this::batchLoop, "serve-batching");
        batching.setDaemon(true);
        batching.start();
    }

    /**
     * Queues one video; its future completes with the scores, or with the exception that decoding or the model
     * threw. Null when every queue slot is taken.
     */
    CompletableFuture<Prediction> submit(byte[] video) {
        if (closed || !slots.tryAcquire()) {
            return null;
        }
        Job job = new Job(video);
        job.result.whenComplete((r, e) -> slots.release());
        try {
            workers.execute(() -> prepare(job));
        } catch (RuntimeException e) { // rejected: shutting down
            job.result.completeExceptionally(e);
        }
        return job.result;
    }

    /** Requests holding a slot: queued, being decoded or in the model. */
    int queued() {
        return queueSize - slots.availablePermits();
    }

    private void prepare(Job job) {
        long start = System.nanoTime();
        try {
            job.clip = classifier.prepare(job.video);
            job.video = null; // the clip is all that is needed from here
            job.prepareNanos = System.nanoTime() - start;
            metrics.preprocess(job.prepareNanos);
            job.ready = System.nanoTime();
            ready.add(job);
        } catch (RuntimeException | Error e) {
            job.result.completeExceptionally(e);
        }
    }

    private void batchLoop() {
        boolean interrupted = false;
        while (!interrupted && !(closed && workers.isTerminated() && ready.isEmpty())) {
            List<Job> batch = new ArrayList<>(batchSize);
            try {
                Job first = ready.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                long deadline = first.ready + maxDelayNanos;
                while (batch.size() < batchSize) {
                    Job next = ready.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                }
            } catch (InterruptedException e) {
                interrupted = true; // close() gave up waiting: answer what was taken, fail the rest
            }
            if (!batch.isEmpty()) {
                run(batch);
            }
        }
        for (Job left; (left = ready.poll()) != null; ) {
            left.result.completeExceptionally(new IllegalStateException("the server stopped before the model ran"));
        }
    }

    private void run(List<Job> batch) {
        long start = System.nanoTime();
        try {
            List<Prediction> scores = classifier.predict(batch.stream().map(j -> j.clip).toList());
            long end = System.nanoTime();
            metrics.forward(end - start, batch.size());
            for (int i = 0; i < batch.size(); i++) {
                Job job = batch.get(i);
                metrics.queue(start - job.arrived - job.prepareNanos);
                job.result.complete(scores.get(i));
            }
        } catch (RuntimeException | Error e) {
            LOG.error("a forward of {} requests failed", batch.size(), e);
            batch.forEach(j -> j.result.completeExceptionally(e));
        }
    }

    /** Stops taking requests; the ones already queued are answered first (waiting at most about two minutes). */
    @Override
    public void close() {
        closed = true;
        workers.shutdown();
        try {
            workers.awaitTermination(1, TimeUnit.MINUTES);
            batching.join(TimeUnit.MINUTES.toMillis(1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        batching.interrupt();
        try {
            batching.join(TimeUnit.SECONDS.toMillis(10)); // the caller closes the model next
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
