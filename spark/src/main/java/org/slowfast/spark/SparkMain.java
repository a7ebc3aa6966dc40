package org.slowfast.spark;

import picocli.CommandLine;
import org.slowfast.cli.SlowfastCommand;

/**
 * Entry point of the Spark module ({@code ./slowfast spark-test|spark-extract}, or the main class for
 * {@code spark-submit}): the {@code slowfast} command with the Spark jobs added.
 */
public final class SparkMain {
    private SparkMain() {}

    /** The {@code slowfast} command line with spark-test and spark-extract. */
    public static CommandLine commandLine() {
        return SlowfastCommand.commandLine()
                .addSubcommand(new SparkTestCommand())
                .addSubcommand(new SparkExtractCommand());
    }

    public static void main(String[] args) {
        int code = commandLine().execute(args);
        if (code != 0 || System.getProperty("spark.master") == null) {
            System.exit(code);
        }
        // under spark-submit the launcher waits for main to return, then stops the context itself
    }
}
