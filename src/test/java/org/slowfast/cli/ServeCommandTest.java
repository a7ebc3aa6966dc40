package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.api.TestVideos;

/** {@code slowfast serve}'s user errors are one line and exit 2 (its API is InferenceServerTest's and ServeProcessTest's). */
class ServeCommandTest {
    private static final String CONFIG = TestVideos.CONFIG.toString();
    private static final String CHECKPOINT = TestVideos.CHECKPOINT.toString();

    @Test
    void badOptionsAreOneLineErrors() {
        assertOneLineError(CliRun.of("serve", CONFIG, CHECKPOINT, "--max-request-size", "lots"),
                "error: --max-request-size: expected bytes or a size such as 100MB, got 'lots'");
        assertOneLineError(CliRun.of("serve", CONFIG, CHECKPOINT, "--batch-size", "0"),
                "error: --batch-size must be at least 1, got 0");
        assertOneLineError(CliRun.of("serve", CONFIG, CHECKPOINT, "--model-name", "a/b"),
                "error: --model-name: 'a/b' must be letters, digits, '_', '.' or '-'");
        assertOneLineError(CliRun.of("serve", CONFIG, "missing.pth"), "error: missing.pth: no such checkpoint file");
    }

    @Test
    void aPortInUseIsOneLineError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.of("serve", CONFIG, CHECKPOINT, "--port", String.valueOf(taken.getLocalPort()),
                    "--metrics-port", "0");
            assertEquals(2, r.code(), r.err());
            assertTrue(r.err().startsWith("error: cannot listen on 127.0.0.1: "), r.err());
            assertEquals(1, r.err().lines().filter(l -> l.startsWith("error")).count(), r.err());
            assertTrue(!r.err().contains("\tat "), r.err());
        }
    }

    @Test
    void sizesAreBytesOrPowersOf1024() {
        assertEquals(6553500, ServeCommand.parseSize("6553500"));
        assertEquals(100L << 20, ServeCommand.parseSize("100MB"));
        assertEquals(512L << 10, ServeCommand.parseSize("512k"));
        assertEquals(1L << 30, ServeCommand.parseSize("1G"));
        assertEquals(5, ServeCommand.parseSize("0005"));
        assertEquals(2047L << 20, ServeCommand.parseSize("2047MB"));
    }

    @Test
    void sizesBeyondTwoGigabytesAreRefusedEvenWhereTheProductWouldOverflow() {
        for (String size : new String[] {"2GB", "99999999999999999999", "17179869185G", "0"}) {
            SlowfastException e = assertThrows(SlowfastException.class, () -> ServeCommand.parseSize(size), size);
            assertEquals("--max-request-size must be between 1 byte and 2GB, got '" + size + "'", e.getMessage());
        }
    }

    private static void assertOneLineError(CliRun r, String line) {
        assertEquals(2, r.code(), r.err());
        assertEquals(line, r.err().lines().findFirst().orElse(""), r.err());
        assertEquals("", r.out());
    }
}
