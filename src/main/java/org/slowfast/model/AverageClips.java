package org.slowfast.model;

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
}
