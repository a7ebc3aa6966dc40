package org.slowfast.runtime;

import java.io.PrintStream;
import java.time.temporal.ChronoUnit;
import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * mmcv's ProgressBar for long loops: an interactive bar on stderr when the process runs in a terminal, otherwise one
 * line {@code task: done/total unit, rate/s, elapsed: Ns, ETA: Ns} on stderr at the first step, at most every
 * {@link #LINE_INTERVAL_NANOS} afterwards and at the end, so that piped and logged runs show progress too.
 * Thread-safe.
 */
public final class Progress implements AutoCloseable {
    static final long LINE_INTERVAL_NANOS = 5_000_000_000L;

    private final String task;
    private final String unit;
    private final long total;
    private final ProgressBar bar;
    private final PrintStream lines;
    private final long start = System.nanoTime();
    private long done;
    private long lastLine = Long.MIN_VALUE;
    private int ranks = 1;

    private Progress(String task, long total, String unit, ProgressBar bar, PrintStream lines) {
        this.task = task;
        this.total = total;
        this.unit = unit;
        this.bar = bar;
        this.lines = lines;
    }

    /**
     * A progress display over {@code total} items named {@code unit} (plural, e.g. "videos"); silent for a single
     * item (demo's one video).
     */
    public static Progress start(String task, long total, String unit) {
        if (total <= 1) {
            return silent();
        }
        if (System.console() != null) {
            return new Progress(task, total, unit, new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setUnit(" " + unit, 1).showSpeed().setSpeedUnit(ChronoUnit.SECONDS)
                    .setStyle(ProgressBarStyle.ASCII).build(), null);
        }
        return new Progress(task, total, unit, null, System.err);
    }

    /**
     * Rank 0's display of a loop sharded over {@code worldSize} ranks, as MMAction2's multi_gpu_test: each item that
     * rank 0 finishes counts once per rank. The other ranks show nothing.
     */
    public static Progress ofShards(String task, long total, String unit, int rank, int worldSize) {
        if (rank != 0) {
            return silent();
        }
        Progress p = start(task, total, unit);
        p.ranks = worldSize;
        return p;
    }

    /** A progress that shows nothing (a single item, or a rank other than 0). */
    public static Progress silent() {
        return new Progress("", 0, "", null, null);
    }

    /** Counts {@code n} more finished items. */
    public synchronized void step(long n) {
        n *= ranks;
        done += n;
        if (bar != null) {
            bar.stepBy(n);
            return;
        }
        if (lines == null) {
            return;
        }
        long now = System.nanoTime();
        if (lastLine == Long.MIN_VALUE || now - lastLine >= LINE_INTERVAL_NANOS || done >= total) {
            lastLine = now;
            lines.println(line(now));
        }
    }

    private String line(long now) {
        double elapsed = (now - start) / 1e9;
        double rate = elapsed > 0 ? done / elapsed : 0;
        String eta = rate > 0 ? String.format(Locale.ROOT, "%.0fs", (total - done) / rate) : "?";
        return String.format(Locale.ROOT, "%s: %d/%d %s, %.1f %s/s, elapsed: %.0fs, ETA: %s", task, done, total,
                unit, rate, unit, elapsed, eta);
    }

    @Override
    public synchronized void close() {
        if (bar != null) {
            bar.close();
        }
    }
}
