package org.slowfast.data.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.slowfast.SlowfastException;
import org.slowfast.io.AtomicFiles;

/**
 * The videos of a dataset tree, as MMAction2's data tools glob them: {@code SRC/*.EXT} or {@code SRC/*}{@code /*.EXT}.
 */
public final class VideoFiles {
    private VideoFiles() {}

    /** The {@code *.ext} files (any case) exactly {@code level} (1 or 2) directories below {@code src}, sorted. */
    public static List<Path> find(Path src, int level, String ext) {
        if (level != 1 && level != 2) {
            throw new SlowfastException("--level must be 1 or 2, got " + level);
        }
        if (!Files.isDirectory(src)) {
            throw new SlowfastException(src + ": no such directory");
        }
        String suffix = "." + ext.toLowerCase(Locale.ROOT);
        List<Path> videos;
        try (Stream<Path> paths = Files.find(src, level, (p, attrs) -> attrs.isRegularFile()
                && src.relativize(p).getNameCount() == level
                && p.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(suffix))) {
            videos = paths.sorted().toList();
        } catch (IOException e) {
            throw new SlowfastException(src + ": cannot list: " + e.getMessage(), e);
        }
        if (videos.isEmpty()) {
            throw new SlowfastException(src + ": no *." + ext + " videos at level " + level);
        }
        return videos;
    }

    /** Creates a tool's output folder up front: one error when it cannot be used, not one failure per video. */
    public static void createOutputDir(Path out) {
        try {
            Files.createDirectories(out);
        } catch (IOException e) {
            throw new SlowfastException(out + ": cannot create the output directory: " + AtomicFiles.reason(e, out));
        }
    }

    /** {@code OUT/[CLASS/]NAME} for {@code SRC/[CLASS/]NAME.EXT}, with {@code newSuffix} appended to NAME. */
    public static Path mirror(Path src, Path video, Path out, String newSuffix) {
        Path relative = src.relativize(video);
        String name = relative.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return out.resolve(relative).resolveSibling((dot < 0 ? name : name.substring(0, dot)) + newSuffix);
    }
}
