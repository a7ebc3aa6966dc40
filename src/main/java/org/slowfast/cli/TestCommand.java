package org.slowfast.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.LaunchEnv;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.ResultsFile;
import org.slowfast.eval.TestRunner;
import org.slowfast.io.AtomicFiles;
import org.slowfast.model.AverageClips;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast test}: MMAction2's {@code tools/test.py}. Runs the test pipeline's views of every {@code data.test}
 * video through the model, averages them as {@code test_cfg.average_clips} (or {@code --average-clips}) says, writes
 * the per-video scores ({@code --out}) and evaluates them ({@code --eval}). Batches hold
 * {@code data.test_dataloader.videos_per_gpu} videos (else {@code data.videos_per_gpu}); with several devices each
 * takes the next batch as it frees up, and the results are filed back in annotation order.
 */
@Command(name = "test", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Test a checkpoint on data.test, as MMAction2's tools/test.py.")
public final class TestCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Option(names = "--out", paramLabel = "FILE",
            description = "Write one array of class scores per video, in annotation order; the extension picks the "
                    + "format as mmcv.dump: .pkl/.pickle (list of float32 numpy arrays), .json, .yaml/.yml.")
    Path out;

    @Option(names = "--average-clips", paramLabel = "prob|score|none",
            description = "Override model.test_cfg.average_clips.")
    String averageClips;

    @Option(names = "--fuse-conv-bn",
            description = "Fold every BN into the conv before it for faster inference (mmcv's fuse_conv_bn).")
    boolean fuseConvBn;

    @Option(names = "--gpus", paramLabel = "N", description = "Number of GPUs to use (the CPU when there is none).")
    Integer gpus;

    @Option(names = "--gpu-ids", arity = "1..*", paramLabel = "ID", description = "GPU ids to use.")
    List<Integer> gpuIds = new ArrayList<>();

    @Mixin EvalOptions eval;

    @Mixin LauncherOptions launch;

    @Override
    public Integer call() {
        LoadedConfig cfg = LoadedConfig.load(config, eval.cfgOptions);
        // as tools/test.py: the config's output_config.out and eval_config.metrics apply unless given here
        if (out == null && cfg.config().outputConfig() != null && cfg.config().outputConfig().get("out") != null) {
            out = Path.of(String.valueOf(cfg.config().outputConfig().get("out")));
        }
        if (eval.metrics.isEmpty() && cfg.config().evalConfig() != null
                && cfg.config().evalConfig().get("metrics") != null) {
            Object m = cfg.config().evalConfig().get("metrics");
            (m instanceof List<?> l ? l : List.of(m)).forEach(x -> eval.metrics.add(String.valueOf(x)));
        }
        if (out == null && eval.metrics().isEmpty()) {
            throw new SlowfastException("give at least one of --out FILE or --eval METRIC ... "
                    + "(or output_config.out / eval_config.metrics in the config) to save or evaluate the results");
        }
        if (out != null) {
            ResultsFile.checkFormat(out);
            AtomicFiles.checkWritable(out);
        }
        AverageClips mode = AverageClips.option(averageClips);
        cfg.require("model", "data.test");
        InferenceModel.requireCheckpoint(checkpoint); // before the ranks of a multi-process test wait for each other
        EvalReport report = eval.report(cfg, out == null ? null : ResultsFile.metricsPathFor(out));
        LaunchEnv env = launch.resolve(cfg);
        List<Device> devices = LauncherOptions.devices(env, gpus, gpuIds);
        // not closed on failure: exiting closes the sockets, and the other ranks report this one as lost
        Collective collective = Collective.open(env);
        TestRunner.SplitScores scores = TestRunner.scoreTestSplit(cfg, checkpoint, devices, mode, fuseConvBn,
                collective);
        collective.close();
        if (collective.rank() != 0) {
            return 0;
        }
        float[][] rows = scores.rows();
        if (out != null) {
            System.out.println("writing results to " + out);
            ResultsFile.write(out, List.of(rows));
        }
        report.run(EvalReport.toDoubles(rows), scores.dataset().labelSets(), scores.numClasses(), System.out,
                System.out);
        return 0;
    }
}
