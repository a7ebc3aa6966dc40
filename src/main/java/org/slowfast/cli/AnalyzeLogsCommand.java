package org.slowfast.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.train.CurvePlot;
import org.slowfast.train.TrainTime;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slowfast analyze-logs}: MMAction2's {@code tools/analysis/analyze_logs.py}. */
@Command(name = "analyze-logs", mixinStandardHelpOptions = true,
        description = "Analyse training logs (.log.json).",
        subcommands = {AnalyzeLogsCommand.PlotCurve.class, AnalyzeLogsCommand.CalTrainTime.class})
public final class AnalyzeLogsCommand implements Callable<Integer> {
    @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().usage(System.err);
        return SlowfastCommand.USER_ERROR;
    }

    /** {@code plot_curve}: curves of the given keys against the global iteration, saved as a PNG. */
    @Command(name = "plot_curve", mixinStandardHelpOptions = true,
            description = "Plot train curves of keys (e.g. loss_cls top1_acc) from one or more .log.json files.")
    static final class PlotCurve implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "LOG.json", description = "JSON logs written by train.")
        List<Path> logs = new ArrayList<>();

        @Option(names = "--keys", arity = "1..*", paramLabel = "KEY", description = "Keys to plot (default: top1_acc).")
        List<String> keys = new ArrayList<>(List.of("top1_acc"));

        @Option(names = "--legend", arity = "1..*", paramLabel = "NAME",
                description = "One legend per log and key (default: <log>_<key>).")
        List<String> legend;

        @Option(names = "--title", paramLabel = "TEXT", description = "Title of the figure (default: the keys).")
        String title;

        @Option(names = "--out", paramLabel = "FILE.png",
                description = "Output image (default: <first log without .log.json>_<keys>.png beside it).")
        Path out;

        @Override
        public Integer call() {
            Path target = out != null ? out : defaultOut(logs.get(0), keys);
            CurvePlot.plot(logs, keys, legend, title, target);
            System.out.println("save curve to: " + target);
            return 0;
        }

        static Path defaultOut(Path log, List<String> keys) {
            String name = log.getFileName().toString().replaceFirst("(\\.log)?\\.json$", "");
            return log.resolveSibling(name + "_" + String.join("_", keys) + ".png");
        }
    }

    /** {@code cal_train_time}: slowest, fastest and average epoch of each log, as MMAction2 prints them. */
    @Command(name = "cal_train_time", mixinStandardHelpOptions = true,
            description = "Average time per training iteration: slowest and fastest epoch, their spread and the"
                    + " overall average, per .log.json file.")
    static final class CalTrainTime implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "LOG.json", description = "JSON logs written by train.")
        List<Path> logs = new ArrayList<>();

        @Option(names = "--include-outliers",
                description = "Include the first value of every epoch when computing the average time.")
        boolean includeOutliers;

        @Override
        public Integer call() {
            for (Path log : logs) {
                System.out.println(TrainTime.of(log, includeOutliers).report(log));
            }
            return 0;
        }
    }
}
