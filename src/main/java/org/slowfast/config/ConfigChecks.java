package org.slowfast.config;

import java.util.List;
import java.util.Map;

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
        }
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
            }
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
