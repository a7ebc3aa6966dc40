package org.slowfast.io;

import java.io.IOException;
import java.io.Reader;
import org.slowfast.SlowfastException;

/**
 * The bound on YAML text that SnakeYAML cannot enforce itself: its reader copies its whole look-ahead window for every
 * 1 KiB it reads further, so one run of characters without white space (a quoted or plain scalar, a huge number) takes
 * time that grows with the square of its length (1 MB: seconds; 20 MB: hours). Config and results files written by
 * mmcv never hold such a run: PyYAML wraps {@code !!binary} data every 76 characters and separates flow items with
 * spaces.
 */
public final class YamlRuns {
    /** The longest run of characters without white space that SnakeYAML reads in reasonable time. */
    public static final int MAX_RUN = 1 << 16;

    private YamlRuns() {}

    /**
     * Reads {@code in} to its end and refuses a run of more than {@link #MAX_RUN} characters without white space as
     * {@code name:line: more than N characters without a space} followed by {@code hint}.
     */
    public static void check(Reader in, String name, String hint) throws IOException {
        char[] buffer = new char[1 << 16];
        long line = 1;
        int run = 0;
        for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
            for (int i = 0; i < n; i++) {
                char c = buffer[i];
                line += c == '\n' ? 1 : 0;
                run = Character.isWhitespace(c) ? 0 : run + 1;
                if (run > MAX_RUN) {
                    throw new SlowfastException(name + ":" + line + ": more than " + MAX_RUN
                            + " characters without a space" + hint);
                }
            }
        }
    }
}
