package org.slowfast.cli;

import ai.djl.Device;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.Config;
import org.slowfast.config.LoadedConfig;
import org.slowfast.model.Recognizer3D;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.LaunchEnv;
import org.slowfast.train.DatasetSources;
import org.slowfast.train.Trainer;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slowfast train}: MMAction2's {@code tools/train.py}. */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a recognizer as MMAction2's tools/train.py (logs, checkpoints and config copy in the work dir).")
public final class TrainCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file (.yaml, .yml or .json).")
    Path config;

    @Option(names = "--work-dir", paramLabel = "DIR",
            description = "Where logs and checkpoints go (default: config work_dir, else work_dirs/<config name>).")
    Path workDir;

    @ArgGroup(exclusive = true)
    Resume resume;

    static final class Resume {
        @Option(names = "--resume-from", paramLabel = "CKPT",
                description = "Resume model, optimizer, epoch, iteration and schedule from a checkpoint.")
        Path from;

        @Option(names = "--auto-resume", description = "Resume from the newest checkpoint in the work dir.")
        boolean auto;
    }

    @Option(names = "--load-from", paramLabel = "CKPT",
            description = "Initialise the weights from a checkpoint (non-strict) and start at epoch 0.")
    Path loadFrom;

    @Option(names = "--validate", description = "Evaluate on the val split as the config's evaluation dict says.")
    boolean validate;

    @Option(names = "--test-last", description = "After training, test the last checkpoint on data.test, write "
            + "last_pred.pkl to the work dir and log the metrics.")
    boolean testLast;

    @Option(names = "--test-best", description = "After training, test the newest best_*.pth on data.test, write "
            + "best_pred.pkl to the work dir and log the metrics.")
    boolean testBest;

    @Option(names = "--seed", description = "Random seed (default: the config's seed, else a random one).")
    Long seed;

    @Option(names = "--diff-seed", description = "Add the process rank to the seed (env RANK; 0 in one process).")
    boolean diffSeed;

    @Option(names = "--deterministic", description = "Deterministic run (CPU: needs one intra-op thread, the default).")
    boolean deterministic;

    @ArgGroup(exclusive = true)
    DeviceChoice devices;

    static final class DeviceChoice {
        @Option(names = "--gpus", description = "Number of GPUs (data parallel); replicas take 1/N of every batch.")
        Integer gpus;

        @Option(names = "--gpu-ids", arity = "1..*", paramLabel = "ID", description = "GPU ids to use.")
        List<Integer> gpuIds;
    }

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Override keys of the merged config, e.g. total_epochs=10.")
    List<String> cfgOptions = new ArrayList<>();

    @Mixin LauncherOptions launch;

    @Override
    public Integer call() {
        LoadedConfig loaded = LoadedConfig.load(config, cfgOptions);
        if (testLast || testBest) {
            loaded.require("data.test"); // fail now rather than after training
        }
        Config cfg = loaded.config();
        LaunchEnv env = launch.resolve(loaded);
        List<Integer> ids = devices != null && devices.gpuIds != null ? devices.gpuIds
                : devices == null && cfg.gpuIds() != null && !env.distributed() ? cfg.gpuIds() : null;
        List<Device> chosen = LauncherOptions.devices(env, devices == null ? null : devices.gpus, ids);
        // before synthetic data is generated
        Recognizer3D.checkForTraining(loaded, chosen.get(0).isGpu() ? 0 : CpuThreads.trainingReplicas());
        // not closed on failure: exiting closes the sockets, and the other ranks report this one as lost
        Collective collective = Collective.open(env);
        long runSeed = seed != null ? seed : cfg.seed() != null ? cfg.seed() : new SecureRandom().nextInt(1 << 30);
        runSeed = collective.broadcast(runSeed, 0); // rank 0's random seed, as MMAction2's init_random_seed
        if (diffSeed) {
            runSeed += collective.rank();
        }
        Trainer.Options options = new Trainer.Options(resolveWorkDir(loaded, workDir), runSeed, deterministic,
                validate, chosen, resume == null ? null : resume.from, resume != null && resume.auto, loadFrom,
                testLast, testBest);
        new Trainer(loaded, options, DatasetSources.prepare(loaded, chosen.size(), env), System.out, collective).run();
        collective.close();
        return 0;
    }

    /** MMAction2's priority: {@code --work-dir}, then the config's {@code work_dir}, then work_dirs/<config name>. */
    static Path resolveWorkDir(LoadedConfig loaded, Path cli) {
        if (cli != null) {
            return cli;
        }
        String fromConfig = loaded.config().workDir();
        return fromConfig != null ? Path.of(fromConfig) : Path.of("work_dirs", loaded.name());
    }
}
