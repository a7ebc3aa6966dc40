package org.slowfast;

/**
 * A user error: bad config, annotation line, frame, video or checkpoint. The message is one line that names the
 * file and the key or line; the CLI prints it without a stack trace and exits non-zero. A line break that comes from
 * the input itself (a {@code --cfg-options} value, a file name) is kept visible as {@code \n}.
 */
public class SlowfastException extends RuntimeException {
    public SlowfastException(String message) {
        super(oneLine(message));
    }

    public SlowfastException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? null : message.replace("\r", "\\r").replace("\n", "\\n");
    }
}
