package org.slowfast.io;

import java.io.IOException;
import java.io.OutputStream;
import org.slowfast.SlowfastException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/** Writes files through a temporary sibling and an atomic rename, so a killed process never leaves a torn file. */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** The body of a write; it receives a stream to the temporary file. */
    @FunctionalInterface
    public interface Writer {
        void write(OutputStream out) throws IOException;
    }

    public static void write(Path target, Writer body) {
        Path abs = target.toAbsolutePath();
        Path tmp = null;
        try {
            Files.createDirectories(abs.getParent());
            tmp = Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp");
            try (OutputStream out = Files.newOutputStream(tmp)) {
                body.write(out);
            }
            Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-r--r--"));
            Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new SlowfastException(target + ": cannot write: " + reason(e, target), e);
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the temporary file is hidden and harmless
                }
            }
        }
    }

    /**
     * Fails now, naming {@code target}, if a later {@link #write} to it could not create its temporary file (the
     * folder cannot be created or written, or {@code target} is a folder): outputs are checked before long work.
     */
    public static void checkWritable(Path target) {
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs)) {
            throw new SlowfastException(target + ": cannot write: it is a directory");
        }
        try {
            Files.createDirectories(abs.getParent());
            Files.delete(Files.createTempFile(abs.getParent(), "." + abs.getFileName(), ".tmp"));
        } catch (IOException e) {
            throw new SlowfastException(target + ": cannot write: " + reason(e, target), e);
        }
    }

    /**
     * Why an I/O operation on {@code target} failed, without a temporary path it failed on; a blocking file other
     * than {@code target} is named.
     */
    public static String reason(IOException e, Path target) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException f) {
            return (Path.of(f.getFile()).equals(target) ? "it" : f.getFile()) + " exists and is not a directory";
        }
        if (e instanceof NoSuchFileException) {
            return "no such directory";
        }
        if (e instanceof FileSystemException f) {
            return f.getReason() != null ? f.getReason() : e.getClass().getSimpleName();
        }
        return e.getMessage();
    }

    public static void writeString(Path target, String text) {
        write(target, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    }
}
