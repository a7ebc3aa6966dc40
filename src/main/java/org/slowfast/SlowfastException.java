package org.slowfast;

/**
 * A user error: bad config, annotation line, frame, video or checkpoint. The message is one line that names the
 * file and the key or line; the CLI prints it without a stack trace and exits non-zero.
 */
public class SlowfastException extends RuntimeException {
    public SlowfastException(String message) {
        super(message);
    }

    public SlowfastException(String message, Throwable cause) {
        super(message, cause);
    }
}
