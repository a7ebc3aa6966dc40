package org.slowfast.model;

import org.slowfast.SlowfastException;

/** {@code test_cfg.average_clips}: how the scores of a video's views are combined. */
public enum AverageClips {
    /** Softmax per view, then the mean over views. */
    PROB,
    /** Mean of the logits over views. */
    SCORE,
    /** No averaging: one row of logits per view. */
    NONE;

    /** Parses the config value ({@code prob}, {@code score} or null); returns null for anything else. */
    public static AverageClips parse(String value) {
        if (value == null || value.equals("null") || value.equals("None")) {
            return NONE;
        }
        return switch (value) {
            case "prob" -> PROB;
            case "score" -> SCORE;
            default -> null;
        };
    }

    /** The {@code --average-clips prob|score|none} option (null when not given: the config's value applies). */
    public static AverageClips option(String value) {
        if (value == null) {
            return null;
        }
        AverageClips mode = parse(value.equalsIgnoreCase("none") ? null : value);
        if (mode == null) {
            throw new SlowfastException("--average-clips: expected prob, score or none, got '" + value
                    + "'");
        }
        return mode;
    }
}
