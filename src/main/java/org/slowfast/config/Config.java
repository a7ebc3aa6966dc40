package org.slowfast.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import org.slowfast.data.pipeline.PipelineStep;

/**
 * A fully merged config, key for key as MMAction2 0.x's config dict. As in mmcv, any other top-level key is a free
 * variable ({@code clip_len}, {@code vtest}, ...): accepted and kept in the merged tree and its dumps; keys inside
 * the sections stay strictly checked. Keys without meaning on the JVM ({@code dist_params},
 * {@code opencv_num_threads}, {@code mp_start_method}, {@code find_unused_parameters}, {@code cudnn_benchmark}) are
 * accepted and ignored; {@code fp16} and {@code multigrid} are refused (ConfigChecks). {@code test} honours
 * {@code output_config.out} and {@code eval_config.metrics} as tools/test.py does. A top-level
 * {@code train_cfg}/{@code test_cfg} applies to the model, as in MMAction2. {@code omnisource} and
 * {@code module_hooks}, which MMAction2's train.py writes into the config it dumps, are accepted at their defaults
 * (false, empty). The top-level "variables" of MMAction2 config files ({@code dataset_type}, {@code img_norm_cfg},
 * {@code train_pipeline}, ...) are bound and checked so that a dumped MMAction2 config loads as is.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Config(
        ModelConfig model,
        DataConfig data,
        OptimizerConfig optimizer,
        OptimizerHookConfig optimizerConfig,
        LrConfig lrConfig,
        Integer totalEpochs,
        CheckpointConfig checkpointConfig,
        EvaluationConfig evaluation,
        LogConfig logConfig,
        PreciseBnConfig preciseBn,
        String workDir,
        String loadFrom,
        String resumeFrom,
        List<List<Object>> workflow,
        Map<String, Object> distParams,
        String logLevel,
        Boolean findUnusedParameters,
        Integer opencvNumThreads,
        String mpStartMethod,
        Boolean cudnnBenchmark,
        Map<String, Object> outputConfig,
        Map<String, Object> evalConfig,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> gpuIds,
        Long seed,
        // Set by MMAction2's tools/train.py before it dumps the config into the work_dir.
        Boolean omnisource,
        List<Map<String, Object>> moduleHooks,
        // MMAction2 config-file variables, kept so that dumped configs load unchanged.
        String datasetType,
        String dataRoot,
        String dataRootVal,
        String annFileTrain,
        String annFileVal,
        String annFileTest,
        Map<String, Object> imgNormCfg,
        List<PipelineStep> trainPipeline,
        List<PipelineStep> valPipeline,
        List<PipelineStep> testPipeline,
        Map<Integer, Integer> sthv1FlipLabelMap,
        // slowfast-java: make-synthetic options (out_dir, classes, videos_per_class, frames, size, format, seed);
        // train generates the dataset from them when data.train.ann_file is missing.
        Map<String, Object> syntheticData) {

    public Config {
        if (workflow == null) {
            workflow = List.of(List.of("train", 1));
        }
        if (logLevel == null) {
            logLevel = "INFO";
        }
        if (checkpointConfig == null) {
            checkpointConfig = new CheckpointConfig(null, null, null, null, null, null);
        }
        if (logConfig == null) {
            logConfig = new LogConfig(null, null);
        }
        if (optimizerConfig == null) {
            optimizerConfig = new OptimizerHookConfig(null);
        }
    }
}
