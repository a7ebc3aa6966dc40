package org.slowfast.train;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;

/**
 * One training run per work dir: an OS file lock on {@code <work_dir>/train.lock}, which names its holder. The
 * operating system releases the lock when the process ends, however it ends, so a lock file left by a crashed or
 * killed run is stale: the next run takes it over with a warning. A second run while the first holds it fails with
 * one line naming the lock and its holder.
 */
public final class WorkDirLock implements AutoCloseable {
    public static final String FILE = "train.lock";
    private static final Logger LOG = LoggerFactory.getLogger(WorkDirLock.class);

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private WorkDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** Takes the work dir's lock, or fails naming it and the run that holds it. */
    public static WorkDirLock acquire(Path workDir) {
        Path file = workDir.resolve(FILE);
        FileChannel channel = null;
        try {
            channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by another run in this JVM
            } catch (IOException e) { // a file system without locks (some network mounts): train unguarded
                LOG.warn("{}: the file system cannot lock ({}); nothing stops a second train run on this work dir",
                        file, e.getMessage());
                channel.close();
                return new WorkDirLock(file, null, null);
            }
            String holder = read(channel);
            if (lock == null) {
                channel.close();
                throw new SlowfastException(file + ": the work dir is in use by another train run (" + holder
                        + "); wait for it to finish or choose another --work-dir");
            }
            if (!holder.isEmpty()) {
                LOG.warn("{}: taking over a stale lock of a run that ended without releasing it ({})", file, holder);
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(describeThisRun().getBytes(StandardCharsets.UTF_8)), 0);
            channel.force(false);
            return new WorkDirLock(file, channel, lock);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new SlowfastException(file + ": cannot lock the work dir: " + e.getMessage());
        }
    }

    private static String read(FileChannel channel) throws IOException {
        ByteBuffer buf = ByteBuffer.allocate(256);
        channel.read(buf, 0);
        return new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).strip();
    }

    /** "pid 1234 on host, started 2026-12-03 13:30:00". */
    private static String describeThisRun() {
        return "pid " + ManagementFactory.getRuntimeMXBean().getName().replace("@", " on ") + ", started "
                + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")) + "\n";
    }

    /** Removes the lock file (while still holding the lock) and releases it. */
    @Override
    public void close() {
        if (lock == null) {
            return;
        }
        try {
            Files.deleteIfExists(file);
            lock.release();
        } catch (IOException e) {
            LOG.warn("{}: cannot release the work dir lock: {}", file, e.getMessage());
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // nothing was written through it that needs flushing
            }
        }
    }
}
