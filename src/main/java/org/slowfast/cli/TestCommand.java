package org.slowfast.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipLoader;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.LaunchEnv;
import org.slowfast.runtime.ResultGather;
import org.slowfast.eval.EvalReport;
import org.slowfast.eval.InferenceModel;
import org.slowfast.eval.ResultsFile;
import org.slowfast.eval.TestRunner;
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

    @Option(names = "--out", paramLabel = "FILE.json",
            description = "Write one array of class scores per video, in annotation order.")
    Path out;

    @Option(names = "--average-clips", paramLabel = "prob|score|none",
            description = "Override model.test_cfg.average_clips.")
    String averageClips;

    @Option(names = "--gpus", paramLabel = "N", description = "Number of GPUs to use (the CPU when there is none).")
    Integer gpus;

    @Option(names = "--gpu-ids", arity = "1..*", paramLabel = "ID", description = "GPU ids to use.")
    List<Integer> gpuIds = new ArrayList<>();

    @Mixin EvalOptions eval;

    @Mixin LauncherOptions launch;

    @Override
    public Integer call() {
        if (out == null && eval.metrics.isEmpty()) {
            throw new SlowfastException("give at least one of --out FILE.json or --eval METRIC ... "
                    + "(save or evaluate the results)");
        }
        if (out != null && !out.getFileName().toString().toLowerCase().endsWith(".json")) {
            throw new SlowfastException(out + ": --out must be a .json file");
        }
        AverageClips mode = null;
        if (averageClips != null) {
            mode = AverageClips.parse(averageClips.equalsIgnoreCase("none") ? null : averageClips);
            if (mode == null) {
                throw new SlowfastException("--average-clips: expected prob, score or none, got '" + averageClips + "'");
            }
        }
        LoadedConfig cfg = LoadedConfig.load(config, eval.cfgOptions);
        cfg.require("model", "data.test");
        EvalReport report = eval.report(cfg, out == null ? null : ResultsFile.metricsPathFor(out));
        LaunchEnv env = launch.resolve(cfg);
        List<Device> devices = LauncherOptions.devices(env, gpus, gpuIds);
        // not closed on failure: exiting closes the sockets, and the other ranks report this one as lost
        Collective collective = Collective.open(env);
        List<InferenceModel> models = new ArrayList<>();
        TestRunner.Scores scores;
        try {
            for (Device device : devices) {
                models.add(InferenceModel.load(cfg, checkpoint, device, mode));
            }
            // batches of videos_per_gpu: each device takes whole batches; each rank scores its shard
            try (ClipLoader loader = ClipLoader.forSplit(cfg, "test", 0, 1, null)
                    .shard(collective.rank(), collective.worldSize())) {
                scores = TestRunner.run(models, loader.epoch(0), loader.size(), loader.order(0),
                        collective.rank() == 0);
            }
        } finally {
            models.forEach(InferenceModel::close);
        }
        ResultGather.Results all = ResultGather.gather(collective, scores.rows(), scores.labels());
        collective.close();
        if (collective.rank() != 0) {
            return 0;
        }
        float[][] rows = new TestRunner.Scores(all.rows(), all.labels()).flat();
        if (out != null) {
            System.out.println("writing results to " + out);
            ResultsFile.write(out, List.of(rows));
        }
        report.run(EvalReport.toDoubles(rows), all.labels(), System.out, System.out);
        return 0;
    }
}
