package org.slowfast.cli;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import picocli.CommandLine;

/** One in-process run of the {@code slowfast} command: its exit code and what it printed on stdout and stderr. */
public record CliRun(int code, String out, String err) {
    public static CliRun of(String... args) {
        return of(SlowfastCommand::commandLine, args);
    }

    /** One in-process run of the command line that {@code commandLine} makes (e.g. with more subcommands). */
    public static CliRun of(Supplier<CommandLine> commandLine, String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = commandLine.get();
            cl.setErr(new PrintWriter(err, true));
            int code = cl.execute(args);
            return new CliRun(code, out.toString(StandardCharsets.UTF_8), err.toString());
        } finally {
            System.setOut(stdout);
        }
    }

    /** A tiny make-synthetic dataset (2 classes × 2 videos of 8 frames, 16×16) in {@code dir}/synthetic. */
    static Path tinySyntheticData(Path dir) {
        Path data = dir.resolve("synthetic");
        CliRun r = of("make-synthetic", data.toString(), "--classes", "2", "--videos-per-class", "2",
                "--frames", "8", "--size", "16x16");
        if (r.code() != 0) {
            throw new IllegalStateException("make-synthetic failed: " + r.err());
        }
        return data;
    }
}
