package org.slowfast.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.data.video.FileListBuilder;
import org.slowfast.data.video.FileListBuilder.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slowfast build-file-list}: MMAction2's {@code tools/data/build_file_list.py} for a class-per-folder tree. */
@Command(name = "build-file-list", mixinStandardHelpOptions = true,
        description = {"Write train/val annotation lists and a label map for a class-per-folder tree:"
                + " OUT_DIR/{train,val}_list_{rawframes,videos}.txt and OUT_DIR/label_map.txt.",
            "Lines are \"DIR FRAMES LABEL\" (rawframes) or \"PATH LABEL\" (videos), relative to SRC_FOLDER;"
                + " labels number the classes sorted by name."})
public final class BuildFileListCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "SRC_FOLDER", description = "Frame directories or videos (the data_prefix).")
    Path src;

    @Parameters(index = "1", paramLabel = "OUT_DIR", description = "Where the lists and the label map go.")
    Path out;

    @Option(names = "--format", required = true, paramLabel = "rawframes|videos", description = "Kind of entries.")
    String format;

    @Option(names = "--level", paramLabel = "1|2",
            description = "2: SRC/CLASS/ENTRY; 1: SRC/ENTRY, the class being the name up to its last underscore"
                    + " (default: ${DEFAULT-VALUE}).")
    int level = 2;

    @Option(names = "--val-ratio", paramLabel = "R",
            description = "Share of each class in the val list (default: ${DEFAULT-VALUE}).")
    double valRatio = 0.2;

    @Option(names = "--seed", paramLabel = "S", description = "Seed of the split and shuffle (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Option(names = "--shuffle", description = "Shuffle the lines (default: sorted by class, then path).")
    boolean shuffle;

    @Option(names = "--rgb-prefix", paramLabel = "PREFIX",
            description = "Frame file prefix counted for rawframes (default: ${DEFAULT-VALUE}).")
    String rgbPrefix = "img_";

    @Override
    public Integer call() {
        Format fmt = switch (format.toLowerCase(Locale.ROOT)) {
            case "rawframes" -> Format.RAWFRAMES;
            case "videos" -> Format.VIDEOS;
            default -> throw new SlowfastException("--format must be rawframes or videos, got " + format);
        };
        FileListBuilder.Result r = FileListBuilder.build(src, out, fmt, level, rgbPrefix, valRatio, seed, shuffle);
        System.out.printf("%s: %d lines%n%s: %d lines%n%s: %d classes%n", r.trainList(), r.train(), r.valList(),
                r.val(), r.labelMap(), r.classes());
        return 0;
    }
}
