package org.slowfast.cli;

import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** The progress bar of a long command loop: on stderr with rate and ETA when it is a terminal, else none (null). */
final class TerminalProgress {
    private TerminalProgress() {}

    static ProgressBar of(String task, int max, String unit) {
        if (System.console() == null) {
            return null;
        }
        return new ProgressBarBuilder().setTaskName(task).setInitialMax(max).setUnit(" " + unit, 1).showSpeed()
                .setStyle(ProgressBarStyle.ASCII).build();
    }
}
