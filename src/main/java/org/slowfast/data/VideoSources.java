package org.slowfast.data;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.nio.file.Path;
import org.slowfast.SlowfastException;

/** Opens video files with the JavaCV decoder, {@code org.slowfast.data.video.VideoFrameSource.open(Path)}. */
public final class VideoSources {
    private static final String DECODER = "org.slowfast.data.video.VideoFrameSource";

    private VideoSources() {}

    public static FrameSource open(Path file) {
        Method open;
        try {
            open = Class.forName(DECODER).getMethod("open", Path.class);
        } catch (ReflectiveOperationException e) {
            throw new SlowfastException(file + ": video decoding is not available in this build (" + DECODER
                    + " is missing)");
        }
        try {
            return (FrameSource) open.invoke(null, file);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new SlowfastException(file + ": cannot open the video: " + Images.oneLine(e.getCause()));
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
