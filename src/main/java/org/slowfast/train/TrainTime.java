package org.slowfast.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slowfast.SlowfastException;

/**
 * MMAction2's {@code analyze_logs.py cal_train_time}: the {@code time} values of each epoch's lines (without the
 * first one of each epoch, which includes start-up, unless outliers are included), averaged per epoch; the slowest
 * and fastest epoch, the population standard deviation of the epoch averages and the mean over all values.
 */
public record TrainTime(long slowestEpoch, double slowest, long fastestEpoch, double fastest, double std,
        double averageIterTime) {

    public static TrainTime of(Path log, boolean includeOutliers) {
        Map<Long, List<Double>> times = new LinkedHashMap<>();
        for (JsonNode line : JsonLogs.read(log)) {
            if (line.has("epoch") && line.has("time")) {
                times.computeIfAbsent(line.get("epoch").asLong(), e -> new ArrayList<>())
                        .add(line.get("time").asDouble());
            }
        }
        long slowestEpoch = -1;
        long fastestEpoch = -1;
        double slowest = Double.NEGATIVE_INFINITY;
        double fastest = Double.POSITIVE_INFINITY;
        List<Double> averages = new ArrayList<>();
        double sum = 0;
        int count = 0;
        for (var e : times.entrySet()) {
            List<Double> t = includeOutliers ? e.getValue() : e.getValue().subList(1, e.getValue().size());
            if (t.isEmpty()) {
                continue;
            }
            double mean = t.stream().mapToDouble(Double::doubleValue).sum() / t.size();
            averages.add(mean);
            sum += t.stream().mapToDouble(Double::doubleValue).sum();
            count += t.size();
            if (mean > slowest) {
                slowest = mean;
                slowestEpoch = e.getKey();
            }
            if (mean < fastest) {
                fastest = mean;
                fastestEpoch = e.getKey();
            }
        }
        if (averages.isEmpty()) {
            throw new SlowfastException(log + ": no epoch has " + (includeOutliers ? "a line" : "two lines")
                    + " with 'time'" + (includeOutliers ? "" : " (the first of each epoch is left out; see"
                    + " --include-outliers)"));
        }
        double average = averages.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double variance = averages.stream().mapToDouble(a -> (a - average) * (a - average)).sum() / averages.size();
        return new TrainTime(slowestEpoch, slowest, fastestEpoch, fastest, Math.sqrt(variance), sum / count);
    }

    /** The lines MMAction2 prints for one log. */
    public String report(Path log) {
        return String.format("-----Analyze train time of %s-----%n"
                + "slowest epoch %d, average time is %.4f%n"
                + "fastest epoch %d, average time is %.4f%n"
                + "time std over epochs is %.4f%n"
                + "average iter time: %.4f s/iter%n", log, slowestEpoch, slowest, fastestEpoch, fastest, std,
                averageIterTime);
    }
}
