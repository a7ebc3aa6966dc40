package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;

/** Out-of-memory in a correctly sized run is one line with the sizes involved, wherever it was thrown. */
class OutOfMemoryTest {
    @Test
    void heapExhaustionOnAWorkerThreadIsOneLineWithTheHeapSizes() {
        String line = SlowfastCommand.outOfMemory(new RuntimeException(
                new ExecutionException(new OutOfMemoryError("Java heap space"))));
        assertTrue(line.matches("out of memory in the JVM heap \\(Java heap space\\): [0-9.]+ [KMG]iB in use of the "
                + "[0-9.]+ [MGT]iB JVM heap \\(-Xmx, set with SLOWFAST_OPTS\\), this machine's [0-9.]+ [MGT]iB of "
                + "memory; give the JVM more heap or lower data.videos_per_gpu / --threads"), line);
    }

    @Test
    void libtorchAllocationFailureNamesTheRequestedSize() {
        String line = SlowfastCommand.outOfMemory(new ai.djl.engine.EngineException("[enforce fail at alloc_cpu.cpp:"
                + "118] data. DefaultCPUAllocator: can't allocate memory: you tried to allocate 3072000000000 bytes. "
                + "Error code 12 (Cannot allocate memory)"));
        assertTrue(line.startsWith("out of native memory: libtorch could not allocate 2.8 TiB (3072000000000 bytes); "
                + "this machine's "), line);
    }

    @Test
    void otherErrorsAreNotOutOfMemory() {
        assertNull(SlowfastCommand.outOfMemory(new SlowfastException("x.yaml: bad")));
        assertNull(SlowfastCommand.outOfMemory(new IllegalStateException((String) null)));
    }
}
