package org.slowfast.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.slowfast.config.DatasetConfig;

/** MMAction2's VideoDataset: lines {@code filename label} (multi_class: several labels), joined onto data_prefix. */
public final class VideoDataset extends ClipDataset {
    VideoDataset(DatasetConfig cfg, boolean testMode, Integer numClasses) {
        this(cfg, testMode, numClasses, null);
    }

    VideoDataset(DatasetConfig cfg, boolean testMode, Integer numClasses, List<Entry> entries) {
        super(cfg, testMode, numClasses, entries);
    }

    @Override
    protected Entry parse(String[] tokens, int line) {
        if (tokens.length < 2 || (!cfg.multiClass() && tokens.length != 2)) {
            throw new IllegalArgumentException("expected 'filename label'");
        }
        return new Entry(resolve(tokens[0]), 0, 0, labels(tokens, 1), line);
    }

    @Override
    protected Entry parse(JsonNode node) {
        JsonNode file = node.get("filename");
        if (file == null) {
            throw new IllegalArgumentException("needs 'filename' and 'label'");
        }
        return new Entry(resolve(file.asText()), 0, 0, labels(node), 0);
    }
}
