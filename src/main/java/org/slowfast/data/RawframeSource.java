package org.slowfast.data;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The frames of a rawframe directory: index {@code i} is the file {@code filename_tmpl.format(i + offset)}, as
 * RawFrameDecode reads them. Duplicate indices are decoded once.
 */
public final class RawframeSource implements FrameSource {
    private final Path dir;
    private final String filenameTmpl;
    private final int offset;
    private final int totalFrames;

    public RawframeSource(Path dir, String filenameTmpl, int offset, int totalFrames) {
        this.dir = dir;
        this.filenameTmpl = filenameTmpl;
        this.offset = offset;
        this.totalFrames = totalFrames;
    }

    /** The file of (already start-index-shifted) frame index {@code index}. */
    public Path file(int index) {
        return dir.resolve(PythonFormat.format(filenameTmpl, (long) index + offset));
    }

    @Override
    public int totalFrames() {
        return totalFrames;
    }

    @Override
    public List<Frame> read(int[] indices) {
        Map<Integer, Frame> cache = new HashMap<>();
        List<Frame> frames = new ArrayList<>(indices.length);
        for (int index : indices) {
            frames.add(cache.computeIfAbsent(index, i -> Images.read(file(i))));
        }
        return frames;
    }

    @Override
    public void close() {}
}
