package org.slowfast.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.config.DatasetConfig;

/**
 * MMAction2's RawframeDataset: lines {@code frame_dir total_frames label [label ...]} (with_offset:
 * {@code frame_dir offset total_frames label ...}); frames are {@code data_prefix/frame_dir/filename_tmpl}.
 */
public final class RawframeDataset extends ClipDataset {
    RawframeDataset(DatasetConfig cfg, boolean testMode, Integer numClasses) {
        this(cfg, testMode, numClasses, null);
    }

    RawframeDataset(DatasetConfig cfg, boolean testMode, Integer numClasses, List<Entry> entries) {
        super(checkTemplate(cfg), testMode, numClasses, entries);
    }

    private static DatasetConfig checkTemplate(DatasetConfig cfg) {
        try {
            PythonFormat.check(cfg.filenameTmpl());
        } catch (IllegalArgumentException e) {
            throw new SlowfastException(cfg.annFile() + ": filename_tmpl: " + e.getMessage());
        }
        return cfg;
    }

    @Override
    protected Entry parse(String[] tokens, int line) {
        int at = 1;
        int offset = 0;
        if (cfg.withOffset()) {
            if (tokens.length < 4) {
                throw new IllegalArgumentException("expected 'frame_dir offset total_frames label'");
            }
            offset = integer(tokens[at++], "offset");
        } else if (tokens.length < 3) {
            throw new IllegalArgumentException("expected 'frame_dir total_frames label'");
        }
        int total = integer(tokens[at++], "total_frames");
        if (total < 1) {
            throw new IllegalArgumentException("total_frames must be positive, got " + total);
        }
        return new Entry(resolve(tokens[0]), total, offset, labels(tokens, at), line);
    }

    @Override
    protected Entry parse(JsonNode node) {
        JsonNode dir = node.get("frame_dir");
        JsonNode total = node.get("total_frames");
        if (dir == null || total == null || !total.isInt()) {
            throw new IllegalArgumentException("needs 'frame_dir', 'total_frames' (int) and 'label'");
        }
        int offset = node.has("offset") ? node.get("offset").asInt() : 0;
        return new Entry(resolve(dir.asText()), total.asInt(), offset, labels(node), 0);
    }

    @Override
    protected void prepare(Sample sample, Entry entry) {
        super.prepare(sample, entry);
        sample.filenameTmpl = cfg.filenameTmpl();
    }
}
