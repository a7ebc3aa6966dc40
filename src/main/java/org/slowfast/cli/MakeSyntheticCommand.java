package org.slowfast.cli;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.data.video.SyntheticDataset;
import org.slowfast.data.video.SyntheticDataset.Format;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code slowfast make-synthetic}: a small labelled dataset whose classes need motion to tell apart. */
@Command(name = "make-synthetic", mixinStandardHelpOptions = true,
        description = {"Write a small labelled video dataset (a shape moving in a class-specific direction over a"
                + " random background) with MMAction2 annotation lists and a label map.",
            "Layout: OUT_DIR/label_map.txt; --format mp4: videos/CLASS/CLASS_0000.mp4 with"
                + " {train,val}_list_videos.txt (\"CLASS/CLASS_0000.mp4 LABEL\");"
                + " --format rawframes: rawframes/CLASS/CLASS_0000/img_00001.jpg with"
                + " {train,val}_list_rawframes.txt (\"CLASS/CLASS_0000 FRAMES LABEL\"). One video in five is val."})
public final class MakeSyntheticCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "OUT_DIR", description = "Output directory.")
    Path out;

    @Option(names = "--classes", paramLabel = "K", description = "Number of classes, 1-16 (default: ${DEFAULT-VALUE}).")
    int classes = 4;

    @Option(names = "--videos-per-class", paramLabel = "N", description = "Videos per class (default: ${DEFAULT-VALUE}).")
    int videosPerClass = 30;

    @Option(names = "--frames", paramLabel = "T", description = "Frames per video (default: ${DEFAULT-VALUE}).")
    int frames = 40;

    @Option(names = "--size", paramLabel = "WxH", description = "Frame size (default: ${DEFAULT-VALUE}).")
    String size = "64x64";

    @Option(names = "--format", paramLabel = "mp4|rawframes", description = "Videos or JPEG frames (default: ${DEFAULT-VALUE}).")
    String format = "rawframes";

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 0;

    @Override
    public Integer call() {
        String[] wh = size.toLowerCase(Locale.ROOT).split("x");
        int width;
        int height;
        try {
            if (wh.length != 2) {
                throw new NumberFormatException();
            }
            width = Integer.parseInt(wh[0]);
            height = Integer.parseInt(wh[1]);
        } catch (NumberFormatException e) {
            throw new SlowfastException("--size must be WxH, e.g. 64x64, got " + size);
        }
        Format fmt = switch (format.toLowerCase(Locale.ROOT)) {
            case "mp4" -> Format.MP4;
            case "rawframes" -> Format.RAWFRAMES;
            default -> throw new SlowfastException("--format must be mp4 or rawframes, got " + format);
        };
        SyntheticDataset.Options options = new SyntheticDataset.Options(classes, videosPerClass,
                SyntheticDataset.Options.defaultValPerClass(videosPerClass), frames, width, height, fmt, seed);
        long start = System.nanoTime();
        Path trainList = SyntheticDataset.generate(out, options);
        System.out.printf("wrote %d videos (%d classes, %d frames of %dx%d) to %s in %.1f s%n",
                classes * videosPerClass, classes, frames, width, height, out.resolve(fmt.dataDir()),
                (System.nanoTime() - start) / 1e9);
        System.out.println("annotations: " + trainList + ", " + out.resolve(fmt.listName("val"))
                + "; labels: " + out.resolve(SyntheticDataset.LABEL_MAP));
        return 0;
    }
}
