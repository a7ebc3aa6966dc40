package org.slowfast.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.Version;
import org.slowfast.runtime.WarningRelay;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Memory;
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
    /** Exit code for a run that ran out of memory (not a user error: the input was sized correctly). */
    public static final int OUT_OF_MEMORY = 3;
    /** libtorch's CPU allocator: "DefaultCPUAllocator: can't allocate memory: you tried to allocate N bytes". */
    private static final Pattern TORCH_OOM = Pattern.compile("can't allocate memory: you tried to allocate (\\d+) bytes");

    @Option(names = "--debug", scope = CommandLine.ScopeType.INHERIT,
            description = "Debug logging, and stack traces for errors.")
    void setDebug(boolean debug) {
        SlowfastCommand.debug = debug;
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(debug ? Level.DEBUG : Level.INFO);
    }

    @Option(names = "--threads", scope = CommandLine.ScopeType.INHERIT, paramLabel = "N",
            description = "CPU cores to use (default: every available processor; more only with --force-threads). "
                    + "Inference runs N intra-op threads; CPU training runs N one-thread replicas.")
    void setThreads(int threads) {
        if (threads < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--threads must be at least 1, got " + threads);
        }
        SlowfastCommand.threads = threads;
        CpuThreads.setCores(threads);
    }

    @Option(names = "--force-threads", scope = CommandLine.ScopeType.INHERIT,
            description = "Allow --threads above the number of available processors.")
    void setForceThreads(boolean force) {
        SlowfastCommand.forceThreads = force;
    }

    private static boolean debug;
    private static int threads;
    private static boolean forceThreads;

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
        threads = 0;
        forceThreads = false;
        CommandLine cl = new CommandLine(new SlowfastCommand());
        cl.setExecutionStrategy(parseResult -> {
            List<CommandLine> invoked = parseResult.asCommandLineList();
            checkThreads(invoked.get(invoked.size() - 1));
            try {
                return new CommandLine.RunLast().execute(parseResult);
            } catch (OutOfMemoryError e) { // thrown on the command's own thread (other threads' arrive wrapped)
                return report(invoked.get(invoked.size() - 1), e, outOfMemory(e), OUT_OF_MEMORY);
            }
        });
        cl.setExecutionExceptionHandler((ex, line, parseResult) -> {
            Throwable root = userError(ex);
            if (root != null) {
                return report(line, ex, root.getMessage(), USER_ERROR);
            }
            String oom = outOfMemory(ex);
            if (oom != null) {
                return report(line, ex, oom, OUT_OF_MEMORY);
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

    /**
     * {@code --threads} above the available processors: CPU training would start one replica per thread (each with
     * its own model and batch), so a typo such as 99999 is refused unless forced.
     */
    private static void checkThreads(CommandLine cl) {
        int available = Runtime.getRuntime().availableProcessors();
        if (threads > available && !forceThreads) {
            throw new CommandLine.ParameterException(cl, "--threads " + threads + " is more than the " + available
                    + " available processors (training runs one model replica per thread); add --force-threads to "
                    + "use that many anyway");
        }
    }

    /** One {@code error:} line, and the stack trace with {@code --debug}. */
    private static int report(CommandLine line, Throwable ex, String message, int code) {
        line.getErr().println("error: " + message);
        if (debug) {
            ex.printStackTrace(line.getErr());
        }
        return code;
    }

    /**
     * The one line for a run that ran out of memory (the JVM heap, or libtorch's native allocations), with the
     * sizes involved; null when {@code ex} is no out-of-memory.
     */
    static String outOfMemory(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            String m = String.valueOf(t.getMessage());
            Matcher native_ = TORCH_OOM.matcher(m);
            if (t instanceof OutOfMemoryError) {
                Runtime rt = Runtime.getRuntime();
                return "out of memory in the JVM heap (" + m + "): " + Memory.format(rt.totalMemory() - rt.freeMemory())
                        + " in use of " + Memory.describeHeap() + ", " + Memory.describePhysical()
                        + "; give the JVM more heap or lower data.videos_per_gpu / --threads";
            }
            if (m.contains("CUDA out of memory")) {
                return "out of GPU memory: " + m.lines().findFirst().orElse("") + "; lower data.videos_per_gpu";
            }
            if (native_.find()) {
                return "out of native memory: libtorch could not allocate " + Memory.format(Double.parseDouble(
                        native_.group(1))) + " (" + native_.group(1) + " bytes); " + Memory.describePhysical()
                        + ", " + Memory.format(Memory.availableBytes()) + " of it available; lower "
                        + "data.videos_per_gpu / --threads or the model's size";
            }
        }
        return null;
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
