package org.slowfast.train;

import org.slowfast.data.BatchSource;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.config.Config;
import org.slowfast.config.EvaluationConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.config.OptimizerHookConfig;
import org.slowfast.config.PreciseBnConfig;
import org.slowfast.eval.EvalReport;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Devices;
import org.slowfast.runtime.Progress;
import org.slowfast.runtime.ResultGather;
import org.slowfast.runtime.SingleProcess;
import org.slowfast.eval.Evaluator;
import org.slowfast.io.AtomicFiles;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.io.PthWriter;
import org.slowfast.model.Recognizer3D;
import org.slowfast.model.StateDicts;

/**
 * MMAction2's epoch-based runner for {@code tools/train.py}: per-iteration LR schedule, synchronous data-parallel
 * SGD steps with gradient clipping, interval logs, precise BN, checkpoints ({@code epoch_N.pth}, {@code latest.pth},
 * {@code best_<metric>_epoch_N.pth}), validation, resume and a NaN stop. Dropout and data order are seeded per
 * epoch from the run seed, so a resumed run continues exactly as an uninterrupted one.
 */
public final class Trainer {
    /** The run's settings (the command line, resolved). */
    public record Options(Path workDir, long seed, boolean deterministic, boolean validate, List<Device> devices,
            Path resumeFrom, boolean autoResume, Path loadFrom, boolean testLast, boolean testBest) {
        /** Without testing after training. */
        public Options(Path workDir, long seed, boolean deterministic, boolean validate, List<Device> devices,
                Path resumeFrom, boolean autoResume, Path loadFrom) {
            this(workDir, seed, deterministic, validate, devices, resumeFrom, autoResume, loadFrom, false, false);
        }
    }

    /** Creates the data of the run's splits. */
    public interface Sources {
        BatchSource train(long seed);

        /** The precise-BN loader: the train split, shuffled with its own seed. */
        BatchSource preciseBn(long seed);

        BatchSource val();
    }

    private static final Logger LOG = LoggerFactory.getLogger(Trainer.class);
    private static final Pattern EPOCH_FILE = Pattern.compile("epoch_(\\d+)\\.pth");

    private final LoadedConfig loaded;
    private final Config cfg;
    private final Options options;
    private final Sources sources;
    private final PrintStream console;
    /** The effective config (command-line values set) as dumped, logged and stored in checkpoints. */
    private String configDump;
    private final Collective collective;
    private final boolean rank0;

    public Trainer(LoadedConfig loaded, Options options, Sources sources, PrintStream console) {
        this(loaded, options, sources, console, new SingleProcess());
    }

    /**
     * A trainer that is one process of a multi-process run: gradients and logged values are averaged over
     * {@code collective}, and rank 0 alone writes the config copy, logs, checkpoints and curves.
     */
    public Trainer(LoadedConfig loaded, Options options, Sources sources, PrintStream console, Collective collective) {
        this.collective = collective;
        this.rank0 = collective.rank() == 0;
        this.loaded = loaded;
        this.cfg = loaded.config();
        this.options = options;
        this.sources = sources;
        this.console = console;
    }

    /**
     * Trains; returns the work dir's JSON log. Every input is checked before the work dir gets a log or a checkpoint:
     * the config keys, the checkpoint to resume or load, the train set and, with validation, the val set (first
     * samples included). A non-finite loss stops with a {@link SlowfastException}. Rank 0 holds the work dir's
     * {@link WorkDirLock} while it runs.
     */
    public Path run() {
        // an existing work dir is locked at once, so that a second run fails before it checks its inputs
        try (WorkDirLock lock = rank0 && Files.isDirectory(options.workDir())
                ? WorkDirLock.acquire(options.workDir()) : null) {
            return checkAndRun(lock != null);
        }
    }

    private Path checkAndRun(boolean locked) {
        Path workDir = options.workDir();
        loaded.require("total_epochs", "optimizer");
        Path resume = resumePath();
        Path load = resume != null ? null : options.loadFrom() != null ? options.loadFrom()
                : cfg.loadFrom() != null ? Path.of(cfg.loadFrom()) : null;
        Checkpoint checkpoint = resume != null ? PthReader.read(resume) : load != null ? PthReader.read(load) : null;
        Recognizer3D structure = Recognizer3D.build(loaded); // model keys checked; no weights allocated
        if (checkpoint != null) {
            StateDicts.check(structure, checkpoint.stateDict(), resume != null,
                    (resume != null ? resume : load).toString());
        }
        Map<String, Object> set = new LinkedHashMap<>();
        set.put("work_dir", workDir.toString());
        set.put("resume_from", resume == null ? null : resume.toString());
        set.put("load_from", load == null ? null : load.toString());
        set.put("seed", options.seed());
        configDump = loaded.with(set).toYaml();
        try (BatchSource train = sources.train(options.seed())) {
            Shape shape = inputShape(train);
            if (options.validate()) {
                try (BatchSource val = sources.val()) {
                    val.sampleShape();
                }
            }
            Object step = loaded.tree().get("lr_config") instanceof Map<?, ?> m ? m.get("step") : null;
            LrSchedule schedule;
            try {
                schedule = new LrSchedule(cfg.lrConfig(), cfg.totalEpochs(), train.length(), step instanceof Number);
            } catch (SlowfastException e) {
                throw loaded.locate(e);
            }
            return run(train, shape, schedule, resume != null ? resume : load, checkpoint, resume != null, locked);
        }
    }

    private Path run(BatchSource train, Shape shape, LrSchedule schedule, Path ckptFile, Checkpoint checkpoint,
            boolean resuming, boolean locked) {
        Path workDir = options.workDir();
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new SlowfastException(workDir + ": cannot create the work dir: " + e.getMessage());
        }
        int totalEpochs = cfg.totalEpochs();
        String timestamp = LocalDateTime.now().format(TrainLog.TIMESTAMP);
        boolean terminal = System.console() != null && console != null && rank0;
        try (WorkDirLock lock = rank0 && !locked ? WorkDirLock.acquire(workDir) : null;
                TrainLog log = rank0 ? new TrainLog(workDir, timestamp, console, !terminal) : TrainLog.discarding();
                DataParallel dp = new DataParallel(DataParallel.replicaDevices(options.devices()),
                        () -> Recognizer3D.build(loaded), options.seed(), shape, cfg.optimizer())) {
            if (rank0) {
                AtomicFiles.writeString(workDir.resolve(loaded.file().getFileName()), configDump);
            }
            TorchSgd optimizer = dp.optimizer();
            dp.acrossProcesses(collective);
            CpuThreads.useAllCoresForInference();
            Engine.getInstance().setRandomSeed((int) options.seed());
            String env = RunInfo.envInfo(options.devices());
            log.info("Environment info:\n" + "-".repeat(60) + "\n" + env + "\n" + "-".repeat(60) + "\n");
            log.info("Distributed training: " + (collective.worldSize() > 1 ? "True" : "False"));
            log.info("Config:\n" + configDump);
            log.info("Set random seed to " + options.seed() + ", deterministic: " + options.deterministic());
            Integer forced = CpuThreads.forcedTrainingThreads();
            if (forced != null && !options.devices().get(0).isGpu()) {
                LOG.warn("CPU training with " + forced + " intra-op threads per replica ("
                        + CpuThreads.FORCED_PROPERTY + "): libtorch 2.7.1's multi-thread CPU Conv3d backward can"
                        + " return wrong or NaN input gradients for small channel counts, and the run is not"
                        + " reproducible; unset it to train with one single-threaded replica per core");
            }
            for (Map<String, Object> hook : cfg.logConfig().hooks()) {
                if (!"TextLoggerHook".equals(hook.get("type"))) {
                    LOG.warn("log_config.hooks: {} is not supported and is ignored (TextLoggerHook is)",
                            hook.get("type"));
                }
            }
            Map<String, Object> meta = new LinkedHashMap<>();
            meta.put("env_info", env);
            meta.put("seed", options.seed());
            meta.put("config_name", loaded.file().getFileName().toString());
            meta.put("work_dir", workDir.toAbsolutePath().getFileName().toString());
            if (options.validate()) {
                meta.put("hook_msgs", new LinkedHashMap<>());
            }
            log.meta(meta);
            Run run = new Run(log, train, dp, optimizer, schedule, totalEpochs, meta);
            run.restore(ckptFile, checkpoint, resuming);
            run.loop(terminal);
            if (options.testLast() || options.testBest()) {
                TestAfterTraining.run(loaded, workDir, options.devices(), options.testLast(), options.testBest(), log,
                        collective);
            }
            log.info("Training finished; logs in " + log.textFile() + " and " + log.jsonFile());
            if (!rank0) {
                return null;
            }
            try {
                CurvePlot.plot(List.of(log.jsonFile()), List.of("loss_cls", "top1_acc"), null, null,
                        workDir.resolve("curves.png"));
            } catch (SlowfastException e) {
                log.info("curves.png not written: " + e.getMessage());
            }
            return log.jsonFile();
        }
    }

    /** {@code --resume-from}, else the newest checkpoint with {@code --auto-resume}, else the config's resume_from. */
    private Path resumePath() {
        if (options.resumeFrom() != null) {
            return options.resumeFrom();
        }
        if (options.autoResume()) {
            Path latest = latestCheckpoint(options.workDir());
            if (latest != null) {
                return latest;
            }
            LOG.info("auto-resume: no checkpoint in {}; training from scratch", options.workDir());
        }
        return cfg.resumeFrom() != null ? Path.of(cfg.resumeFrom()) : null;
    }

    private static Shape inputShape(BatchSource train) {
        long[] s = train.sampleShape();
        return new Shape(1).addAll(new Shape(s).slice(s.length == 5 ? 1 : 0));
    }

    /** The mutable state of one run. */
    private final class Run {
        final TrainLog log;
        final BatchSource train;
        final DataParallel dp;
        final TorchSgd optimizer;
        final int totalEpochs;
        final Map<String, Object> meta;
        final LrSchedule schedule;
        final Map<String, Object> hookMsgs = new LinkedHashMap<>();
        int epoch;
        long iter;

        Run(TrainLog log, BatchSource train, DataParallel dp, TorchSgd optimizer, LrSchedule schedule,
                int totalEpochs, Map<String, Object> meta) {
            this.log = log;
            this.train = train;
            this.dp = dp;
            this.optimizer = optimizer;
            this.totalEpochs = totalEpochs;
            this.meta = meta;
            this.schedule = schedule;
        }

        /** Restores a checkpoint read before the run: all state when resuming, else the weights (non-strict). */
        void restore(Path file, Checkpoint ckpt, boolean resuming) {
            if (resuming) {
                dp.load(ckpt.stateDict(), true, file.toString());
                if (ckpt.optimizer() != null) {
                    optimizer.loadStateDict(ckpt.optimizer(), file.toString());
                }
                epoch = intMeta(ckpt, "epoch", file);
                iter = intMeta(ckpt, "iter", file);
                if (ckpt.meta().get("hook_msgs") instanceof Map<?, ?> h) {
                    h.forEach((k, v) -> hookMsgs.put(String.valueOf(k), v));
                }
                log.info("resumed epoch " + epoch + ", iter " + iter + " from " + file);
            } else if (ckpt != null) {
                log.info("load checkpoint from " + file); // before the loader's mismatch warning, as mmcv
                dp.load(ckpt.stateDict(), false, file.toString());
            }
            ParameterChecksum.verify(collective, dp.main().model().namedParameters().values(), "at the start");
        }

        void loop(boolean terminal) {
            OptimizerHookConfig.GradClip clip = cfg.optimizerConfig().gradClip();
            int interval = cfg.logConfig().interval();
            long startIter = iter;
            long totalIters = (long) totalEpochs * train.length();
            long runStart = System.nanoTime();
            log.info("workflow: " + workflow() + ", max: " + totalEpochs + " epochs");
            while (epoch < totalEpochs) {
                Engine.getInstance().setRandomSeed((int) (options.seed() * 1_000_003L + epoch));
                int length = train.length();
                try (ProgressBar bar = terminal ? new ProgressBarBuilder().setTaskName("Epoch " + (epoch + 1))
                        .setInitialMax(length).setStyle(ProgressBarStyle.ASCII).setConsumer(
                                new me.tongfei.progressbar.ConsoleProgressBarConsumer(console)).build() : null) {
                    Iterator<BatchSource.Batch> batches = train.epoch(epoch);
                    long tick = System.nanoTime();
                    for (int i = 0; batches.hasNext(); i++) {
                        BatchSource.Batch b = batches.next();
                        double dataTime = (System.nanoTime() - tick) / 1e9;
                        optimizer.applySchedule(schedule, epoch, iter);
                        DataParallel.StepResult r = meanOverRanks(dp.step(b.imgs(), b.shape(), b.labels(),
                                clip == null ? null : clip.maxNorm(), clip == null ? 2 : clip.normType()));
                        if (!Double.isFinite(r.loss())) {
                            String msg = "loss is " + r.loss() + " at epoch " + (epoch + 1) + ", iteration "
                                    + (i + 1) + " (global iteration " + (iter + 1) + "); training stopped, the last"
                                    + " good checkpoint is " + lastCheckpointName();
                            log.info(msg);
                            throw new SlowfastException(msg);
                        }
                        iter++;
                        double time = (System.nanoTime() - tick) / 1e9;
                        log.update(b.labels().length, time, dataTime, r);
                        if (bar != null) {
                            bar.step();
                            bar.setExtraMessage(String.format(java.util.Locale.ROOT, " loss %.4f lr %.2e",
                                    r.loss(), optimizer.lr()));
                        }
                        if ((i + 1) % interval == 0) {
                            double perIter = (System.nanoTime() - runStart) / 1e9 / (iter - startIter);
                            log.train(epoch + 1, i + 1, length, optimizer.lr(), memoryMb(),
                                    perIter * (totalIters - iter));
                        }
                        tick = System.nanoTime();
                    }
                }
                epoch++;
                afterEpoch();
            }
        }

        DataParallel.StepResult meanOverRanks(DataParallel.StepResult r) {
            double[] m = collective.mean(r.loss(), r.top1(), r.top5());
            return new DataParallel.StepResult(m[0], m[1], m[2], r.gradNorm());
        }

        void afterEpoch() {
            PreciseBnConfig pbn = cfg.preciseBn();
            if (pbn != null && epoch % pbn.interval() == 0) {
                log.info("Running Precise BN for " + pbn.numIters() + " iterations");
                try (BatchSource source = sources.preciseBn(options.seed() + epoch)) {
                    PreciseBn.update(dp.main(), source, pbn.numIters(), epoch);
                }
                dp.broadcastState();
                log.info("BN stats updated");
            }
            ParameterChecksum.verify(collective, dp.main().model().namedParameters().values(),
                    "after epoch " + epoch);
            if (rank0 && (epoch % cfg.checkpointConfig().interval() == 0 || epoch == totalEpochs)) {
                saveEpochCheckpoint(options.workDir(), epoch, checkpoint());
                log.info("Saving checkpoint at " + epoch + " epochs");
            }
            if (options.validate() && shouldEvaluate()) {
                evaluate();
            }
        }

        boolean shouldEvaluate() {
            EvaluationConfig ev = cfg.evaluation() != null ? cfg.evaluation()
                    : new EvaluationConfig(null, null, null, null, null, null, null, null, null);
            if (ev.start() == null) {
                return epoch % ev.interval() == 0;
            }
            return epoch >= ev.start() && (epoch - ev.start()) % ev.interval() == 0;
        }

        void evaluate() {
            EvaluationConfig ev = cfg.evaluation() != null ? cfg.evaluation()
                    : new EvaluationConfig(null, null, null, null, null, null, null, null, null);
            DataParallel.Replica main = dp.main();
            float[][][] scores;
            int[] labels;
            int length;
            try (BatchSource val = sources.val();
                    Progress progress = Progress.ofShards("val", val.size(), "videos", collective.rank(),
                            collective.worldSize())) {
                scores = new float[val.size()][][];
                labels = new int[val.size()];
                length = val.length();
                Iterator<BatchSource.Batch> it = val.epoch(0);
                while (it.hasNext()) {
                    BatchSource.Batch b = it.next();
                    try (NDManager scope = main.manager().newSubManager()) {
                        NDArray imgs = scope.create(b.imgs(), new Shape(b.shape()));
                        float[] flat = main.model().predict(main.store(), imgs).toFloatArray();
                        int k = flat.length / b.labels().length;
                        for (int n = 0; n < b.labels().length; n++) {
                            scores[b.indices()[n]] = new float[][] {Arrays.copyOfRange(flat, n * k, (n + 1) * k)};
                            labels[b.indices()[n]] = b.labels()[n];
                        }
                        progress.step(b.labels().length);
                    }
                }
            }
            ResultGather.Results all = ResultGather.gather(collective, scores, labels);
            if (!rank0) {
                return;
            }
            float[][] rows = Arrays.stream(all.rows()).map(r -> r[0]).toArray(float[][]::new);
            LinkedHashMap<String, Double> results = new Evaluator(ev.metrics(), Evaluator.topkOf(cfg))
                    .evaluate(EvalReport.toDoubles(rows), all.labels(), log.infoStream());
            log.val(epoch, length, optimizer.lr(), results);
            String key = "auto".equals(ev.saveBest()) ? results.keySet().iterator().next() : ev.saveBest();
            if (key == null || !results.containsKey(key)) {
                return;
            }
            boolean less = "less".equals(ev.rule()) || (ev.rule() == null && key.contains("loss"));
            double score = results.get(key);
            Object prev = hookMsgs.get("best_score");
            if (prev instanceof Number p && (less ? score >= p.doubleValue() : score <= p.doubleValue())) {
                return;
            }
            if (hookMsgs.get("best_ckpt") instanceof String old) {
                try {
                    Files.deleteIfExists(Path.of(old));
                } catch (IOException e) {
                    log.info("cannot delete the previous best checkpoint " + old + ": " + e.getMessage());
                }
            }
            Path best = options.workDir().resolve("best_" + key + "_epoch_" + epoch + ".pth");
            hookMsgs.put("best_score", score);
            hookMsgs.put("best_ckpt", best.toString());
            PthWriter.write(best, checkpoint());
            log.info("Now best checkpoint is saved as " + best.getFileName() + ".");
            log.info(String.format(java.util.Locale.ROOT, "Best %s is %.4f at %d epoch.", key, score, epoch));
        }

        Checkpoint checkpoint() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mmaction_version", "slowfast-java " + org.slowfast.Version.get());
            m.put("git_revision", RunInfo.gitRevision());
            m.put("config", configDump);
            m.putAll(meta);
            m.put("epoch", epoch);
            m.put("iter", iter);
            m.put("time", LocalDateTime.now().toString());
            m.put("hook_msgs", new LinkedHashMap<>(hookMsgs));
            return new Checkpoint(m, StateDicts.stateDict(dp.main().model()),
                    cfg.checkpointConfig().saveOptimizer() ? optimizer.stateDict() : null);
        }

        String lastCheckpointName() {
            Path latest = options.workDir().resolve("latest.pth");
            return Files.exists(latest) ? latest.toString() : "none (no epoch finished)";
        }

        long memoryMb() {
            long bytes = -1;
            for (Device d : options.devices()) {
                bytes = Math.max(bytes, d.isGpu() ? Devices.deviceMemoryUsed(d) : Devices.peakRssBytes());
            }
            return bytes < 0 ? -1 : bytes / (1024 * 1024);
        }
    }

    /** The config's workflow as mmcv logs it, e.g. {@code [('train', 1)]}. */
    private String workflow() {
        List<String> phases = new java.util.ArrayList<>();
        for (List<Object> p : cfg.workflow()) {
            phases.add("('" + p.get(0) + "', " + p.get(1) + ")");
        }
        return "[" + String.join(", ", phases) + "]";
    }

    private static int intMeta(Checkpoint ckpt, String key, Path file) {
        if (!(ckpt.meta().get(key) instanceof Number n)) {
            throw new SlowfastException(file + ": meta." + key + " is missing; cannot resume from a bare state dict");
        }
        return n.intValue();
    }

    /** mmcv's {@code find_latest_checkpoint}: {@code latest.pth}, else the highest {@code epoch_N.pth}. */
    public static Path latestCheckpoint(Path workDir) {
        Path latest = workDir.resolve("latest.pth");
        if (Files.exists(latest)) {
            return latest;
        }
        if (!Files.isDirectory(workDir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(workDir)) {
            return files.filter(p -> EPOCH_FILE.matcher(p.getFileName().toString()).matches())
                    .max((a, b) -> Integer.compare(epochOf(a), epochOf(b))).orElse(null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int epochOf(Path p) {
        Matcher m = EPOCH_FILE.matcher(p.getFileName().toString());
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /**
     * Writes {@code epoch_N.pth}, then {@code latest.pth} as its copy, each through a temporary file and an atomic
     * rename: a run killed at any moment leaves the previous {@code latest.pth} whole and loadable.
     */
    public static void saveEpochCheckpoint(Path workDir, int epoch, Checkpoint checkpoint) {
        Path file = workDir.resolve("epoch_" + epoch + ".pth");
        PthWriter.write(file, checkpoint);
        AtomicFiles.write(workDir.resolve("latest.pth"), out -> Files.copy(file, out));
    }
}
