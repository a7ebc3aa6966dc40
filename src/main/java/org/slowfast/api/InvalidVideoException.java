package org.slowfast.api;

import org.slowfast.SlowfastException;

/**
 * The input is not a video the test pipeline can turn into a clip: empty, not decodable, no video frames, nothing to
 * sample. A caller's error (HTTP 400 in {@code slowfast serve}), as opposed to a failure of the model.
 */
public class InvalidVideoException extends SlowfastException {
    public InvalidVideoException(String message, Throwable cause) {
        super(message, cause);
    }
}
