package org.slowfast.config;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slowfast.data.pipeline.CenterCrop;
import org.slowfast.data.pipeline.FrameSampler;
import org.slowfast.data.pipeline.MultiScaleCrop;
import org.slowfast.data.pipeline.Normalize;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.RandomCrop;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.TenCrop;
import org.slowfast.data.pipeline.ThreeCrop;
import org.slowfast.runtime.Memory;

/**
 * The value checks every command runs when a config is loaded (print-config included), so that a config that
 * prints also trains and tests: loader sizes, the names of policies, optimizers and dataset types, and the MMAction2
 * features this toolkit cannot honour. Each problem is one error naming the file, line and key path.
 */
final class ConfigChecks {
    private static final List<String> LR_POLICIES = List.of("CosineAnnealing", "cosineannealing", "step", "Step",
            "fixed", "Fixed");
    private static final List<String> WARMUPS = List.of("linear", "constant", "exp");
    private static final List<String> SPLITS = List.of("train", "val", "test");
    /** The most elements a Java array can hold. */
    private static final double MAX_ARRAY = Integer.MAX_VALUE - 8;

    private final LoadedConfig loaded;
    private final Config cfg;

    private ConfigChecks(LoadedConfig loaded) {
        this.loaded = loaded;
        this.cfg = loaded.config();
    }

    static void check(LoadedConfig loaded) {
        new ConfigChecks(loaded).run();
    }

    private void run() {
        unsupported();
        data();
        pipelineVariables();
        if (cfg.lrConfig() != null) {
            LrConfig lr = cfg.lrConfig();
            if (lr.policy() == null) {
                throw loaded.error("lr_config", "missing 'policy'");
            }
            oneOf("lr_config.policy", lr.policy(), LR_POLICIES);
            if (lr.warmup() != null) {
                oneOf("lr_config.warmup", lr.warmup(), WARMUPS);
            }
        }
        if (cfg.optimizer() != null) {
            oneOf("optimizer.type", String.valueOf(cfg.optimizer().type()), List.of("SGD"));
            if (cfg.optimizer().lr() == null) {
                throw loaded.error("optimizer", "missing 'lr'");
            }
            sgd(cfg.optimizer());
        }
        gradClip(cfg.optimizerConfig().gradClip());
        intervals();
        workflow();
        onlyKeys("output_config", cfg.outputConfig(), "out");
        onlyKeys("eval_config", cfg.evalConfig(), "metrics");
    }

    /** tools/test.py's output_config / eval_config: the keys that test honours. */
    private void onlyKeys(String section, Map<String, Object> dict, String accepted) {
        if (dict != null) {
            for (String key : dict.keySet()) {
                if (!accepted.equals(key)) {
                    throw loaded.error(section + "." + key, "unknown key '" + key + "'; accepted keys: " + accepted);
                }
            }
        }
    }

    /** Keys MMAction2 acts on that this toolkit cannot honour: refused rather than ignored. */
    private void unsupported() {
        Map<String, Object> tree = loaded.tree();
        if (tree.get("fp16") != null) {
            throw loaded.error("fp16", "mixed-precision (fp16) training is not supported; remove the key or set it "
                    + "to null");
        }
        if (tree.get("multigrid") != null) {
            throw loaded.error("multigrid", "multigrid training is not supported; remove the key or set it to null");
        }
        if (Boolean.TRUE.equals(cfg.omnisource())) {
            throw loaded.error("omnisource", "OmniSource training is not supported; set it to false");
        }
        if (cfg.moduleHooks() != null && !cfg.moduleHooks().isEmpty()) {
            throw loaded.error("module_hooks", "module hooks are not supported; leave the list empty");
        }
        for (String key : List.of("train_cfg", "test_cfg")) {
            if (tree.get(key) != null && tree.get("model") instanceof Map<?, ?> model && model.get(key) != null) {
                throw loaded.error(key, key + " is set both at the top level and in model; keep model." + key);
            }
        }
    }

    private void data() {
        DataConfig data = cfg.data();
        if (data == null) {
            return;
        }
        atLeast("data.videos_per_gpu", data.videosPerGpu(), 1);
        atLeast("data.workers_per_gpu", data.workersPerGpu(), 0);
        for (String split : SPLITS) {
            DataConfig.DataloaderConfig d = data.dataloader(split);
            if (d != null) {
                atLeast("data." + split + "_dataloader.videos_per_gpu", d.videosPerGpu(), 1);
                atLeast("data." + split + "_dataloader.workers_per_gpu", d.workersPerGpu(), 0);
            }
            DatasetConfig ds = data.dataset(split);
            String key = "data." + split;
            while (ds != null && DatasetConfig.REPEAT_DATASET.equals(ds.type())) {
                if (ds.dataset() == null) {
                    throw loaded.error(key, "RepeatDataset needs a 'dataset' dict");
                }
                if (ds.times() == null) {
                    throw loaded.error(key, "RepeatDataset needs 'times'");
                }
                atLeast(key + ".times", ds.times(), 1);
                ds = ds.dataset();
                key += ".dataset";
            }
            if (ds != null) {
                oneOf(key + ".type", String.valueOf(ds.type()), DatasetConfig.CLIP_TYPES);
                if (ds.pipeline() != null) {
                    pipeline(key + ".pipeline", ds.pipeline());
                    batchFits(key + ".pipeline", ds.pipeline(), data.videosPerGpu(split), split,
                            "Flow".equals(ds.modality()) ? 2 : 3);
                }
            }
        }
    }

    /** The top-level pipeline variables of MMAction2 configs, which data.* usually refer to. */
    private void pipelineVariables() {
        for (String split : SPLITS) {
            List<PipelineStep> p = switch (split) {
                case "train" -> cfg.trainPipeline();
                case "val" -> cfg.valPipeline();
                default -> cfg.testPipeline();
            };
            if (p != null) {
                pipeline(split + "_pipeline", p);
            }
        }
    }

    /** Step values that would make every clip NaN or infinite: Normalize's std must be positive, its mean finite. */
    private void pipeline(String key, List<PipelineStep> steps) {
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) instanceof Normalize n) {
                String k = key + "." + i;
                for (int c = 0; n.mean() != null && c < n.mean().size(); c++) {
                    finite(k + ".mean." + c, n.mean().get(c));
                }
                for (int c = 0; n.std() != null && c < n.std().size(); c++) {
                    Double std = n.std().get(c);
                    if (std == null || !(std > 0) || Double.isInfinite(std)) {
                        throw loaded.error(k + ".std." + c, "must be a positive finite number, got " + std
                                + " (the clip is divided by it)");
                    }
                }
            }
        }
    }

    /**
     * Refuses a pipeline whose batches cannot be allocated, before any frame is decoded: one batch is at least
     * videos × clips × crops × channels × clip_len × the size the last crop or resize fixes (1 × 1 if none)
     * floats, which must fit in one Java array. The error names the largest of videos_per_gpu, clip_len and
     * num_clips. (Whether it fits in this
     * JVM's heap is checked by the loader once the first clip gives the exact size.)
     */
    private void batchFits(String key, List<PipelineStep> steps, int videos, String split, int channels) {
        double frames = 0;
        String samplerKey = null;
        double crops = 1;
        double pixels = 1;
        for (int i = 0; i < steps.size(); i++) {
            PipelineStep step = steps.get(i);
            if (step instanceof FrameSampler f && f.clipLen() != null) {
                frames = (double) f.clipLen() * f.clipsPerSample();
                samplerKey = key + "." + i + (f.clipLen() >= f.clipsPerSample() ? ".clip_len" : ".num_clips");
            } else if (step instanceof CenterCrop c) {
                pixels = area(c.cropSize(), pixels);
            } else if (step instanceof ThreeCrop c) {
                pixels = area(c.cropSize(), pixels);
                crops *= 3;
            } else if (step instanceof TenCrop c) {
                pixels = area(c.cropSize(), pixels);
                crops *= 10;
            } else if (step instanceof RandomCrop c && c.size() != null) {
                pixels = (double) c.size() * c.size();
            } else if (step instanceof MultiScaleCrop c) {
                pixels = area(c.inputSize(), pixels);
            } else if (step instanceof Resize r && !r.keepRatio() && r.scale() != null && r.scale().size() == 2
                    && r.scale().get(0) >= 1 && r.scale().get(1) >= 1) {
                pixels = r.scale().get(0) * r.scale().get(1);
            }
        }
        double floats = (double) videos * crops * channels * frames * pixels;
        if (samplerKey != null && floats > MAX_ARRAY) {
            DataConfig.DataloaderConfig over = cfg.data().dataloader(split);
            String videosKey = over != null && over.videosPerGpu() != null
                    ? "data." + split + "_dataloader.videos_per_gpu" : "data.videos_per_gpu";
            throw loaded.error(videos > frames ? videosKey : samplerKey, String.format(Locale.ROOT,
                    "one %s batch needs at least %.3g floats (%d videos x %.0f crops x %d channels x %.0f frames x "
                    + "%.0f pixels, %s), more than a Java array holds (2^31)", split, floats, videos, crops,
                    channels, frames, pixels, Memory.format(floats * Float.BYTES)));
        }
    }

    /** The area of a crop_size (one value: a square; two: w, h), or {@code otherwise} when absent or malformed. */
    private static double area(List<Integer> size, double otherwise) {
        if (size == null || size.isEmpty() || size.size() > 2 || size.contains(null)) {
            return otherwise;
        }
        return (double) size.get(0) * size.get(size.size() - 1);
    }

    /** torch.optim.SGD's own checks (lr, momentum and weight_decay not negative; Nesterov), and finite values. */
    private void sgd(OptimizerConfig o) {
        finite("optimizer.lr", o.lr());
        finite("optimizer.momentum", o.momentum());
        finite("optimizer.dampening", o.dampening());
        finite("optimizer.weight_decay", o.weightDecay());
        if (o.lr() < 0) {
            throw loaded.error("optimizer.lr", "Invalid learning rate: " + o.lr() + " (torch.optim.SGD refuses a "
                    + "negative lr)");
        }
        if (o.momentum() < 0) {
            throw loaded.error("optimizer.momentum", "Invalid momentum value: " + o.momentum()
                    + " (torch.optim.SGD refuses a negative momentum)");
        }
        if (o.weightDecay() < 0) {
            throw loaded.error("optimizer.weight_decay", "Invalid weight_decay value: " + o.weightDecay()
                    + " (torch.optim.SGD refuses a negative weight_decay)");
        }
        if (o.nesterov() && (o.momentum() <= 0 || o.dampening() != 0)) {
            throw loaded.error("optimizer.nesterov", "Nesterov momentum requires a momentum and zero dampening, got "
                    + "momentum " + o.momentum() + " and dampening " + o.dampening());
        }
    }

    /**
     * {@code clip_grad_norm_} scales gradients by {@code max_norm / norm}: a NaN or infinite max_norm makes every
     * gradient NaN or leaves them unclipped, 0 zeroes them and a negative one reverses them.
     */
    private void gradClip(OptimizerHookConfig.GradClip clip) {
        if (clip == null) {
            return;
        }
        if (clip.maxNorm() == null) {
            throw loaded.error("optimizer_config.grad_clip", "missing 'max_norm' (set grad_clip: null to disable "
                    + "clipping)");
        }
        finite("optimizer_config.grad_clip.max_norm", clip.maxNorm());
        if (clip.maxNorm() <= 0) {
            throw loaded.error("optimizer_config.grad_clip.max_norm", "must be positive, got " + clip.maxNorm());
        }
        if (Double.isNaN(clip.normType()) || clip.normType() <= 0) {
            throw loaded.error("optimizer_config.grad_clip.norm_type", "must be positive or inf, got "
                    + clip.normType());
        }
    }

    /**
     * Epoch and iteration counts. mmcv's hooks divide by their interval; its EvalHook refuses an interval below 1
     * and a negative start, and so does this toolkit for every interval, so that a 0 is an error rather than a
     * division by zero or a silently disabled hook.
     */
    private void intervals() {
        if (cfg.totalEpochs() != null && cfg.totalEpochs() < 1) {
            throw loaded.error("total_epochs", "must be at least 1, got " + cfg.totalEpochs() + " (nothing would "
                    + "be trained)");
        }
        atLeast("checkpoint_config.interval", cfg.checkpointConfig().interval(), 1);
        atLeast("log_config.interval", cfg.logConfig().interval(), 1);
        if (cfg.evaluation() != null) {
            atLeast("evaluation.interval", cfg.evaluation().interval(), 1);
            atLeast("evaluation.start", cfg.evaluation().start(), 0);
        }
        if (cfg.preciseBn() != null) {
            atLeast("precise_bn.interval", cfg.preciseBn().interval(), 1);
            atLeast("precise_bn.num_iters", cfg.preciseBn().numIters(), 1);
        }
    }

    private void finite(String key, Double value) {
        if (value != null && !Double.isFinite(value)) {
            throw loaded.error(key, "must be a finite number, got " + value);
        }
    }

    /** mmcv's workflow: only train epochs; a ('val', N) phase is refused rather than skipped. */
    private void workflow() {
        for (List<Object> phase : cfg.workflow()) {
            Object mode = phase.isEmpty() ? null : phase.get(0);
            if (!"train".equals(mode)) {
                throw loaded.error("workflow", "only [('train', N)] is supported, got " + cfg.workflow()
                        + "; use --validate with the evaluation dict for validation");
            }
            if (phase.size() != 2 || !(phase.get(1) instanceof Integer n) || n < 1) {
                throw loaded.error("workflow", "expected [('train', N)] with N >= 1, got " + cfg.workflow());
            }
        }
    }

    private void atLeast(String key, Integer value, int min) {
        if (value != null && value < min) {
            throw loaded.error(key, "must be at least " + min + ", got " + value);
        }
    }

    private void oneOf(String key, String value, List<String> accepted) {
        if (!accepted.contains(value)) {
            throw loaded.error(key, "'" + value + "' is not supported; accepted: " + String.join(", ", accepted));
        }
    }
}
