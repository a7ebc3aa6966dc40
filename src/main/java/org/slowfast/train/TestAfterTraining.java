package org.slowfast.train;

import ai.djl.Device;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slowfast.SlowfastException;
import org.slowfast.config.EvaluationConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.Evaluator;
import org.slowfast.eval.ResultsFile;
import org.slowfast.eval.TestRunner;
import org.slowfast.runtime.Collective;

/**
 * {@code train --test-last / --test-best}, as MMAction2 0.24's {@code train_model}: after training, test the last
 * checkpoint and/or the newest {@code *best*.pth} of the work dir on {@code data.test}, write
 * {@code <work_dir>/{last,best}_pred.pkl} and log the metrics of the config's {@code evaluation} dict. Every rank
 * of a multi-process run scores its shard; rank 0 writes and logs.
 */
final class TestAfterTraining {
    private static final Pattern EPOCH = Pattern.compile("epoch_(\\d+)\\.pth$");

    private TestAfterTraining() {}

    static void run(LoadedConfig loaded, Path workDir, List<Device> devices, boolean last, boolean best,
            TrainLog log, Collective collective) {
        List<String> names = new ArrayList<>();
        List<Path> checkpoints = new ArrayList<>();
        if (last) {
            names.add("last");
            checkpoints.add(Trainer.latestCheckpoint(workDir));
        }
        if (best) {
            Path newest = newestBest(workDir);
            if (newest == null) {
                log.info("Warning: test_best set, but no ckpt found");
            } else {
                names.add("best");
                checkpoints.add(newest);
            }
        }
        for (int i = 0; i < names.size(); i++) {
            if (checkpoints.get(i) == null) {
                log.info("Warning: test_last set, but no checkpoint was saved");
                continue;
            }
            test(loaded, workDir, devices, names.get(i), checkpoints.get(i), log, collective);
        }
    }

    /** The {@code *best*.pth} with the highest {@code epoch_N}, as MMAction2 picks it. */
    static Path newestBest(Path workDir) {
        try (Stream<Path> files = Files.list(workDir)) {
            List<Path> best = files.filter(f -> f.getFileName().toString().contains("best")
                    && f.getFileName().toString().endsWith(".pth")).sorted().toList();
            Path newest = null;
            long newestEpoch = -1;
            for (Path f : best) {
                Matcher m = EPOCH.matcher(f.getFileName().toString());
                long epoch = m.find() ? Long.parseLong(m.group(1)) : -1;
                if (newest == null || epoch > newestEpoch) {
                    newest = f;
                    newestEpoch = epoch;
                }
            }
            return newest;
        } catch (IOException e) {
            throw new SlowfastException(workDir + ": cannot list the work dir: " + e.getMessage());
        }
    }

    private static void test(LoadedConfig loaded, Path workDir, List<Device> devices, String name, Path checkpoint,
            TrainLog log, Collective collective) {
        loaded.require("data.test");
        log.info("Testing the " + name + " checkpoint " + checkpoint + " on data.test");
        TestRunner.SplitScores scores = TestRunner.scoreTestSplit(loaded, checkpoint, devices, null, false,
                collective);
        if (collective.rank() != 0) {
            return;
        }
        float[][] rows = scores.rows();
        ResultsFile.write(workDir.resolve(name + "_pred.pkl"), List.of(rows));
        EvaluationConfig ev = loaded.config().evaluation();
        List<String> metrics = ev != null ? ev.metrics() : List.of(Evaluator.TOP_K_ACCURACY);
        EvalReport report = new EvalReport(metrics, Evaluator.topkOf(loaded.config()), null, null, false, null);
        LinkedHashMap<String, Double> results = report.run(EvalReport.toDoubles(rows), scores.dataset().labelSets(),
                scores.numClasses(), log.infoStream(), null);
        log.info("Testing results of the " + name + " checkpoint");
        results.forEach((metric, value) -> log.info(metric + ": " + Evaluator.format4(value)));
    }
}
