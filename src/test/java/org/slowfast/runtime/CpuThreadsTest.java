package org.slowfast.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.function.IntConsumer;
import org.junit.jupiter.api.Test;

/** A thread's intra-op thread count stays what it set, whatever another thread sets afterwards. */
class CpuThreadsTest {
    /** Sets 1 with {@code setter} on a new thread, lets the main thread set 3, then runs an op and reads the count. */
    private static int countAfterAnotherThreadSetsMore(IntConsumer setter) throws Exception {
        Engine.getInstance();
        int before = JniUtils.getNumThreads();
        CountDownLatch set = new CountDownLatch(1);
        CountDownLatch changed = new CountDownLatch(1);
        CompletableFuture<Integer> seen = CompletableFuture.supplyAsync(() -> {
            setter.accept(1);
            set.countDown();
            try {
                changed.await();
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            try (NDManager m = NDManager.newBaseManager(); NDArray a = m.ones(new Shape(1 << 16))) {
                a.mul(2).sum().getFloat(); // a first parallel op on this thread
            }
            return JniUtils.getNumThreads();
        }, r -> new Thread(r).start());
        set.await();
        JniUtils.setNumThreads(3);
        changed.countDown();
        try {
            return seen.get();
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    @Test
    void setIntraOpThreadsHoldsAgainstLaterSettingsOfOtherThreads() throws Exception {
        assertEquals(1, countAfterAnotherThreadSetsMore(CpuThreads::setIntraOpThreads));
    }

    @Test
    void aPlainSetIsOverriddenByLibtorchsLazyInitialisation() throws Exception {
        // the libtorch behaviour setIntraOpThreads guards against: if this starts failing, the guard is unneeded
        assertEquals(3, countAfterAnotherThreadSetsMore(JniUtils::setNumThreads));
    }
}
