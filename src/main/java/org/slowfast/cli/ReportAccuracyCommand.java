package org.slowfast.cli;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.data.TextLines;
import org.slowfast.eval.Accuracy;
import org.slowfast.eval.Evaluator;
import org.slowfast.eval.ResultsFile;
import org.slowfast.eval.ScoreFusion;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code slowfast report-accuracy}: MMAction2's {@code tools/analysis/report_accuracy.py}. Fuses the scores of several
 * results files (RGB and flow, or several models) with coefficients and reports mean class accuracy and top-k
 * accuracy against the last label of each line of an annotation list.
 */
@Command(name = "report-accuracy", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Fuse the scores of several results files with coefficients and report their accuracy, as "
                + "MMAction2's tools/analysis/report_accuracy.py.")
public final class ReportAccuracyCommand implements Callable<Integer> {
    @Option(names = "--scores", arity = "1..*", required = true, paramLabel = "RESULTS",
            description = "Results files (test --out: .pkl, .json or .yaml), one score array per video each.")
    List<Path> scores;

    @Option(names = "--coefficients", arity = "1..*", paramLabel = "C",
            description = "One coefficient per results file (default: 1 each).")
    List<Double> coefficients;

    @Option(names = "--datalist", required = true, paramLabel = "ANN.txt",
            description = "The annotation list of the tested videos; the last token of each line is the label.")
    Path datalist;

    @Option(names = "--apply-softmax", description = "Softmax each video's scores before fusing.")
    boolean applySoftmax;

    @Option(names = "--top-k", arity = "1..*", paramLabel = "K", description = "k values of top-k accuracy (default: 1 5).")
    List<Integer> topK = new ArrayList<>(List.of(1, 5));

    @Option(names = "--json", description = "Print only one JSON object of the metrics, at full precision.")
    boolean json;

    @Override
    public Integer call() {
        double[] coeff = coefficients == null ? filled(scores.size())
                : coefficients.stream().mapToDouble(Double::doubleValue).toArray();
        int[] topk = topK.stream().mapToInt(Integer::intValue).toArray();
        new Evaluator(List.of(Evaluator.TOP_K_ACCURACY), topk); // checks k before any work
        int[] labels = labels(datalist);
        List<double[][]> sets = new ArrayList<>();
        for (Path file : scores) {
            double[][] s = ResultsFile.read(file);
            System.err.println("loaded " + file + ": " + s.length + " videos x " + (s.length == 0 ? 0 : s[0].length)
                    + " classes");
            if (s.length != labels.length) {
                throw new SlowfastException(file + ": " + s.length + " results but " + datalist + " lists "
                        + labels.length + " videos");
            }
            sets.add(s);
        }
        double[][] fused = ScoreFusion.weighted(sets, coeff, scores.stream().map(Path::toString).toList(),
                applySoftmax);
        double mean = Accuracy.meanClassAccuracy(fused, labels);
        double[] acc = Accuracy.topKAccuracy(fused, labels, topk);
        if (json) {
            LinkedHashMap<String, Double> metrics = new LinkedHashMap<>();
            for (int i = 0; i < topk.length; i++) {
                metrics.put("top" + topk[i] + "_acc", acc[i]);
            }
            metrics.put(Evaluator.MEAN_CLASS_ACCURACY, mean);
            System.out.println(ResultsFile.metricsJson(metrics));
        } else {
            System.out.println("Mean Class Accuracy: " + Evaluator.format4(mean));
            for (int i = 0; i < topk.length; i++) {
                System.out.println("Top " + topk[i] + " Accuracy: " + Evaluator.format4(acc[i]));
            }
        }
        return 0;
    }

    private static double[] filled(int n) {
        double[] ones = new double[n];
        Arrays.fill(ones, 1.0);
        return ones;
    }

    /** The last whitespace-separated token of each non-blank line, as an integer label. */
    static int[] labels(Path file) {
        List<String> lines;
        try {
            lines = TextLines.read(file);
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such annotation file");
        } catch (IOException e) {
            throw new SlowfastException(file + ": cannot read: " + e.getMessage());
        }
        List<Integer> labels = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String[] tokens = lines.get(i).strip().split("\\s+");
            if (tokens[0].isEmpty()) {
                continue;
            }
            try {
                labels.add(Integer.parseInt(tokens[tokens.length - 1]));
            } catch (NumberFormatException e) {
                throw new SlowfastException(file + ":" + (i + 1) + ": the last token '" + tokens[tokens.length - 1]
                        + "' is not an integer label");
            }
        }
        if (labels.isEmpty()) {
            throw new SlowfastException(file + ": no annotation lines");
        }
        return labels.stream().mapToInt(Integer::intValue).toArray();
    }
}
