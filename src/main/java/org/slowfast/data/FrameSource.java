package org.slowfast.data;

import java.util.List;

/** The frames of one video (a file or a rawframe directory), addressed by 0-based decode index. */
public interface FrameSource extends AutoCloseable {
    /** The true number of decodable frames. */
    int totalFrames();

    /**
     * Decodes the frames at the given 0-based indices, returned in the given order (duplicates allowed).
     * Failures are {@link org.slowfast.SlowfastException}s that name the file.
     */
    List<Frame> read(int[] indices);

    @Override
    void close();
}
