package org.slowfast.cli;

import picocli.CommandLine;

/** Process entry point: runs the {@code slowfast} command and exits with its code. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(SlowfastCommand.commandLine().execute(args));
    }
}
