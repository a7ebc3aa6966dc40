package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;

/** One train run per work dir: a second is refused naming the lock; a lock left by a killed process is stale. */
class WorkDirLockTest {
    @TempDir Path dir;

    @Test
    void aSecondRunIsRefusedUntilTheFirstReleases() {
        Path lockFile = dir.resolve(WorkDirLock.FILE);
        try (WorkDirLock first = WorkDirLock.acquire(dir)) {
            assertTrue(Files.exists(lockFile));
            SlowfastException e = assertThrows(SlowfastException.class, () -> WorkDirLock.acquire(dir));
            assertTrue(e.getMessage().matches(java.util.regex.Pattern.quote(lockFile.toString())
                    + ": the work dir is in use by another train run \\(pid \\d+ on .*, started .*\\); wait for it to "
                    + "finish or choose another --work-dir"), e.getMessage());
        }
        assertFalse(Files.exists(lockFile));
        WorkDirLock.acquire(dir).close();
    }

    /** Another process holds the lock (POSIX fcntl lock, as the JVM's), then is killed: its lock file is stale. */
    @Test
    void aLockOfAnotherProcessIsHonouredAndStaleOnceItIsKilled() throws IOException, InterruptedException {
        Path lockFile = dir.resolve(WorkDirLock.FILE);
        Process holder = new ProcessBuilder("python3", "-c", "import fcntl, sys, time\n"
                + "f = open(sys.argv[1], 'w'); fcntl.lockf(f, fcntl.LOCK_EX); f.write('pid 1 on elsewhere'); f.flush()\n"
                + "print('locked', flush=True); time.sleep(60)", lockFile.toString()).start();
        try {
            assertEquals("locked", new String(holder.getInputStream().readNBytes(6)));
            SlowfastException e = assertThrows(SlowfastException.class, () -> WorkDirLock.acquire(dir));
            assertEquals(lockFile + ": the work dir is in use by another train run (pid 1 on elsewhere); wait for it "
                    + "to finish or choose another --work-dir", e.getMessage());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(10, TimeUnit.SECONDS));
        }
        assertTrue(Files.exists(lockFile)); // the killed process left its file
        try (WorkDirLock taken = WorkDirLock.acquire(dir)) {
            assertTrue(Files.readString(lockFile).startsWith("pid " + ProcessHandle.current().pid() + " on "));
        }
    }
}
