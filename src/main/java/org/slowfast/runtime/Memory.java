package org.slowfast.runtime;

import java.lang.management.ManagementFactory;
import java.util.Locale;

/** The memory a run can use: the JVM heap (arrays: clips, batches) and the machine's (libtorch's tensors). */
public final class Memory {
    private Memory() {}

    /** The largest heap the JVM will grow to ({@code -Xmx}). */
    public static long heapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** The machine's physical memory, where libtorch allocates parameters and activations. */
    public static long physicalBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
    }

    /** The machine's memory not in use now (free, as the operating system counts it). */
    public static long availableBytes() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getFreeMemorySize();
    }

    /** A byte count for messages: "512 MiB", "3.1 GiB", "2.8 TiB". */
    public static String format(double bytes) {
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        int u = 0;
        while (bytes >= 1024 && u < units.length - 1) {
            bytes /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, bytes < 10 && u > 0 ? "%.1f %s" : "%.0f %s", bytes, units[u]);
    }

    /** "the 6.0 GiB JVM heap (-Xmx, set with SLOWFAST_OPTS)". */
    public static String describeHeap() {
        return "the " + format(heapBytes()) + " JVM heap (-Xmx, set with SLOWFAST_OPTS)";
    }

    /** "this machine's 23 GiB of memory". */
    public static String describePhysical() {
        return "this machine's " + format(physicalBytes()) + " of memory";
    }
}
