package org.slowfast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.concurrent.Callable;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.Version;
import org.slowfast.runtime.WarningRelay;
import org.slowfast.runtime.CpuThreads;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The root {@code slowfast} command. Each subcommand is one class in this package. */
@Command(
        name = "slowfast",
        mixinStandardHelpOptions = true,
        versionProvider = SlowfastCommand.VersionProvider.class,
        description = "Train and evaluate SlowFast video-recognition networks (MMAction2 0.x compatible).",
        subcommands = {
            CommandLine.HelpCommand.class,
            PrintConfigCommand.class,
            InfoCommand.class,
            BenchmarkCommand.class,
            TestCommand.class,
            EvalMetricCommand.class,
            ReportAccuracyCommand.class,
            DemoCommand.class,
            ServeCommand.class,
            AnalyzeLogsCommand.class,
            TrainCommand.class,
            MakeSyntheticCommand.class,
            BuildRawframesCommand.class,
            BuildFileListCommand.class,
            BrowseDatasetCommand.class,
            PublishModelCommand.class,
            CheckVideosCommand.class,
            ResizeVideosCommand.class,
            ExtractFeaturesCommand.class,
            LongVideoDemoCommand.class,
        })
public final class SlowfastCommand implements Callable<Integer> {
    /** Exit code for user errors (bad config, data, checkpoint, arguments). */
    public static final int USER_ERROR = 2;

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and stack traces for errors.")
    void setDebug(boolean debug) {
        SlowfastCommand.debug = debug;
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(debug ? Level.DEBUG : Level.INFO);
    }

    @Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "CPU cores to use (default: every available processor). Inference runs N intra-op threads;"
                    + " CPU training runs N one-thread replicas.")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        CpuThreads.setCores(threads);
    }

    private static boolean debug;

    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return USER_ERROR;
    }

    /** The configured command line: user errors become one line on stderr and exit code 2. */
    public static CommandLine commandLine() {
        WarningRelay.install();
        CpuThreads.setCores(null); // until --threads says otherwise
        CpuThreads.setProcessShare(0); // until a launcher says otherwise
        CommandLine cl = new CommandLine(new SlowfastCommand());
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            Throwable root = userError(ex);
            if (root != null) {
                line.getErr().println("error: " + root.getMessage());
                if (debug) {
                    ex.printStackTrace(line.getErr());
                }
                return USER_ERROR;
            }
            throw ex;
        });
        // a bad option or argument: one line and a pointer to the help, not the whole usage text
        cl.setParameterExceptionHandler((ex, args) -> {
            CommandLine sub = ex.getCommandLine();
            sub.getErr().println("error: " + ex.getMessage());
            sub.getErr().println("(see: slowfast " + (sub == cl ? "" : sub.getCommandName() + " ") + "--help)");
            return USER_ERROR;
        });
        return cl;
    }

    private static Throwable userError(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof SlowfastException) {
                return t;
            }
        }
        return null;
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return List.of("slowfast-java " + Version.get()).toArray(new String[0]);
        }
    }
}
