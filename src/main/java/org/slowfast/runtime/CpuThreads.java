package org.slowfast.runtime;

import ai.djl.pytorch.jni.JniUtils;

/**
 * How many CPU cores this process uses, and how libtorch's intra-op threads are spread over them. Torch's intra-op
 * thread count is an OpenMP setting of the calling thread: inference threads use every core; each CPU training
 * replica runs on its own thread with one intra-op thread (libtorch 2.7.1's CPU Conv3d backward can return wrong
 * input gradients with more, djl-notes §4.3), and training uses one replica per core.
 */
public final class CpuThreads {
    /** The JVM property a user sets to force an intra-op thread count (DJL's own engine property). */
    public static final String FORCED_PROPERTY = "ai.djl.pytorch.num_threads";

    private static volatile Integer override;
    private static volatile int processShare;

    private CpuThreads() {}

    /** {@code --threads N}: the number of cores to use instead of every available one (null: the default). */
    public static void setCores(Integer n) {
        override = n;
    }

    /**
     * The default for a process of a multi-process job: its share of the machine's cores
     * ({@link LaunchEnv#cpuCoresPerProcess()}); 0 resets it to every processor.
     */
    public static void setProcessShare(int cores) {
        processShare = cores;
    }

    /**
     * The cores this process may use: {@code --threads}, else {@code -Dslowfast.threads}, else its share of the
     * machine in a multi-process job, else every processor.
     */
    public static int cores() {
        if (override != null) {
            return override;
        }
        Integer property = Integer.getInteger("slowfast.threads");
        if (property != null && property > 0) {
            return property;
        }
        return processShare > 0 ? processShare : Runtime.getRuntime().availableProcessors();
    }

    /** Inference: every core as intra-op threads of the calling thread (a forward pass has no Conv3d backward). */
    public static void useAllCoresForInference() {
        setIntraOpThreads(cores());
    }

    /**
     * Sets the calling thread's intra-op thread count for good. libtorch initialises a thread's count lazily, at its
     * first parallel op, from the count that any thread set last; reading the count forces that initialisation now,
     * and setting it again makes it this thread's, whatever other threads set later.
     */
    public static void setIntraOpThreads(int n) {
        JniUtils.setNumThreads(n);
        JniUtils.getNumThreads();
        JniUtils.setNumThreads(n);
    }

    /**
     * Intra-op threads of one CPU training replica: 1, unless the user forces more with
     * {@code -Dai.djl.pytorch.num_threads} (see {@link #forcedTrainingThreads()}).
     */
    public static int trainingThreadsPerReplica() {
        Integer forced = forcedTrainingThreads();
        return forced == null ? 1 : forced;
    }

    /** The intra-op thread count the user forced for training (more than one), or null. */
    public static Integer forcedTrainingThreads() {
        Integer forced = Integer.getInteger(FORCED_PROPERTY);
        return forced != null && forced > 1 ? forced : null;
    }

    /** Concurrent CPU training replicas: one per group of {@link #trainingThreadsPerReplica()} cores. */
    public static int trainingReplicas() {
        return Math.max(1, cores() / trainingThreadsPerReplica());
    }
}
