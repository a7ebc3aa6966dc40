package org.slowfast.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slowfast.SlowfastException;

/**
 * The lines of a user's text file (annotation lists, label maps, video lists), read with a bounded line length so
 * that a file of one huge line (or a device such as /dev/zero) is an error naming the line, not an out-of-memory.
 */
public final class TextLines {
    /** Far beyond any annotation line (a path, a frame count and labels). */
    public static final int MAX_LINE = 1 << 16;

    private TextLines() {}

    /**
     * Reads UTF-8 lines as {@link Files#readAllLines} does; I/O problems are left to the caller, which names the
     * file's role. A line over {@link #MAX_LINE} characters is a {@link SlowfastException} naming file and line.
     */
    public static List<String> read(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        char[] buf = new char[8192];
        StringBuilder line = new StringBuilder();
        try (BufferedReader in = Files.newBufferedReader(file)) {
            for (int n; (n = in.read(buf)) > 0; ) {
                for (int i = 0; i < n; i++) {
                    char c = buf[i];
                    if (c == '\n') {
                        lines.add(withoutCr(line));
                        line.setLength(0);
                    } else {
                        if (line.length() == MAX_LINE) {
                            throw new SlowfastException(file + ":" + (lines.size() + 1) + ": a line longer than "
                                    + MAX_LINE + " characters (is this a text file of one entry per line?)");
                        }
                        line.append(c);
                    }
                }
            }
        }
        if (line.length() > 0) { // a last line without a line break
            lines.add(withoutCr(line));
        }
        return lines;
    }

    private static String withoutCr(StringBuilder line) {
        int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
        return line.substring(0, end);
    }
}
