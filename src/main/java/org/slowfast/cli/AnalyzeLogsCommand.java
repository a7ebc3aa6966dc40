package org.slowfast.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.train.CurvePlot;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slowfast analyze-logs}: MMAction2's {@code tools/analysis/analyze_logs.py}. */
@Command(name = "analyze-logs", mixinStandardHelpOptions = true,
        description = "Analyse training logs (.log.json).",
        subcommands = AnalyzeLogsCommand.PlotCurve.class)
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

        @Option(names = "--keys", arity = "1..*", paramLabel = "KEY", description = "Keys to plot (default: loss_cls).")
        List<String> keys = new ArrayList<>(List.of("loss_cls"));

        @Option(names = "--legend", arity = "1..*", paramLabel = "NAME",
                description = "One legend per log and key (default: <log>_<key>).")
        List<String> legend;

        @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "Output image.")
        Path out;

        @Override
        public Integer call() {
            CurvePlot.plot(logs, keys, legend, out);
            System.out.println("save curve to: " + out);
            return 0;
        }
    }
}
