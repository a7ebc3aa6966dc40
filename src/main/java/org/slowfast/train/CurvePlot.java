package org.slowfast.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.slowfast.SlowfastException;
import org.slowfast.io.AtomicFiles;

/**
 * MMAction2's {@code tools/analysis/analyze_logs.py plot_curve}: one curve per (log, key) against the global
 * iteration, {@code (epoch - 1) × iterations per epoch + iter}, from the train lines of {@code .log.json} files. A
 * key that only validation lines carry (e.g. {@code mean_class_accuracy}) is drawn at the end of each evaluated epoch.
 */
public final class CurvePlot {
    private CurvePlot() {}

    /**
     * Draws the curves into a PNG; {@code legends} (one per log × key, in that order) may be null, and so may
     * {@code title} (then the keys are the title).
     */
    public static void plot(List<Path> logs, List<String> keys, List<String> legends, String title, Path out) {
        if (legends != null && !legends.isEmpty() && legends.size() != logs.size() * keys.size()) {
            throw new SlowfastException("--legend: expected " + logs.size() * keys.size() + " legends (one per log"
                    + " and key), got " + legends.size());
        }
        System.setProperty("java.awt.headless", "true");
        XYSeriesCollection data = new XYSeriesCollection();
        int n = 0;
        for (Path log : logs) {
            List<JsonNode> lines = JsonLogs.read(log);
            long itersPerEpoch = lines.stream().filter(l -> "train".equals(l.path("mode").asText()))
                    .filter(l -> l.path("epoch").asInt() == lines.stream()
                            .filter(x -> x.has("epoch")).findFirst().map(x -> x.path("epoch").asInt()).orElse(1))
                    .mapToLong(l -> l.path("iter").asLong()).max().orElse(1);
            for (String key : keys) {
                String name = legends != null && !legends.isEmpty() ? legends.get(n)
                        : stripJson(log.getFileName().toString()) + "_" + key;
                n++;
                XYSeries series = new XYSeries(name, false, true);
                boolean inTrain = lines.stream().anyMatch(l -> "train".equals(l.path("mode").asText()) && l.has(key));
                for (JsonNode l : lines) {
                    if (!l.has(key) || !l.has("epoch") || inTrain != "train".equals(l.path("mode").asText())) {
                        continue;
                    }
                    long epoch = l.path("epoch").asLong();
                    long x = inTrain ? (epoch - 1) * itersPerEpoch + l.path("iter").asLong() : epoch * itersPerEpoch;
                    series.add(x, l.path(key).asDouble());
                }
                if (series.isEmpty()) {
                    throw new SlowfastException(log + ": no line has the key '" + key + "'");
                }
                data.addSeries(series);
            }
        }
        String keyNames = String.join(", ", keys);
        JFreeChart chart = ChartFactory.createXYLineChart(title != null ? title : keyNames, "iter", keyNames, data,
                PlotOrientation.VERTICAL, true, false, false);
        AtomicFiles.write(out, s -> ChartUtils.writeChartAsPNG(s, chart, 960, 540));
    }

    private static String stripJson(String name) {
        return name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
    }
}
