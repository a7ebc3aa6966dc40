package org.slowfast.config;

import java.util.List;
import org.slowfast.data.pipeline.PipelineStep;

/**
 * A dataset dict ({@code RawframeDataset} or {@code VideoDataset}, or a {@code RepeatDataset} with {@code times} and
 * the wrapped {@code dataset}). {@code start_index} defaults to 1 for rawframes and 0 for videos;
 * {@code filename_tmpl} to {@code img_{:05}.jpg}.
 */
public record DatasetConfig(
        String type,
        String annFile,
        String dataPrefix,
        List<PipelineStep> pipeline,
        Boolean testMode,
        String filenameTmpl,
        Integer startIndex,
        Boolean withOffset,
        Boolean multiClass,
        Integer numClasses,
        String modality,
        Boolean sampleByClass,
        Double power,
        Boolean dynamicLength,
        Integer times,
        DatasetConfig dataset) {

    public DatasetConfig {
        if (testMode == null) {
            testMode = false;
        }
        if (filenameTmpl == null) {
            filenameTmpl = "img_{:05}.jpg";
        }
        if (startIndex == null) {
            startIndex = "VideoDataset".equals(type) ? 0 : 1;
        }
        if (withOffset == null) {
            withOffset = false;
        }
        if (multiClass == null) {
            multiClass = false;
        }
        if (modality == null) {
            modality = "RGB";
        }
        if (sampleByClass == null) {
            sampleByClass = false;
        }
        if (power == null) {
            power = 0.0;
        }
        if (dynamicLength == null) {
            dynamicLength = false;
        }
    }

    public static final String REPEAT_DATASET = "RepeatDataset";
    /** The dataset types that hold clips (a RepeatDataset wraps one of them). */
    public static final List<String> CLIP_TYPES = List.of("RawframeDataset", "VideoDataset");

    /** The dataset that a RepeatDataset wraps (through any nesting), else this one: where the files and pipeline are. */
    public DatasetConfig base() {
        return REPEAT_DATASET.equals(type) && dataset != null ? dataset.base() : this;
    }

    /** This dataset reading {@code file} as its ann_file. */
    public DatasetConfig withAnnFile(String file) {
        return new DatasetConfig(type, file, dataPrefix, pipeline, testMode, filenameTmpl, startIndex, withOffset,
                multiClass, numClasses, modality, sampleByClass, power, dynamicLength, times, dataset);
    }

    /** The key path of {@link #base()}, for this dataset at {@code key} ({@code data.train.dataset} for one wrapper). */
    public String baseKey(String key) {
        return REPEAT_DATASET.equals(type) && dataset != null ? dataset.baseKey(key + ".dataset") : key;
    }
}
