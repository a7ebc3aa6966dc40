package org.slowfast.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.io.PthWriter;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast publish-model}: MMAction2's {@code tools/deployment/publish_model.py}. Drops the optimizer state,
 * saves the checkpoint and renames it to {@code <out without .pth>-<first 8 hex digits of its sha256>.pth}.
 */
@Command(name = "publish-model", mixinStandardHelpOptions = true,
        description = "Prepare a checkpoint for release: drop the optimizer state and add the first 8 hex digits"
                + " of the file's sha256 to its name (OUT-1a2b3c4d.pth).")
public final class PublishModelCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN.pth", description = "Input checkpoint.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT.pth", description = "Output checkpoint name, before the hash.")
    Path out;

    @Override
    public Integer call() throws IOException {
        Checkpoint ckpt = PthReader.read(in);
        PthWriter.write(out, new Checkpoint(ckpt.meta(), ckpt.stateDict(), null));
        String name = out.getFileName().toString();
        String stem = name.endsWith(".pth") ? name.substring(0, name.length() - 4) : name;
        Path published = out.resolveSibling(stem + "-" + sha256(out).substring(0, 8) + ".pth");
        Files.move(out, published, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        System.out.println("published: " + published);
        return 0;
    }

    /** The file's sha256 as lowercase hex, as {@code sha256sum} prints it. */
    static String sha256(Path file) throws IOException {
        MessageDigest sha;
        try {
            sha = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new SlowfastException("SHA-256 is not available in this JVM", e);
        }
        try (InputStream stream = Files.newInputStream(file)) {
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = stream.read(buffer)) > 0; ) {
                sha.update(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
