package org.slowfast.data.video;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;
import org.slowfast.io.AtomicFiles;
import org.slowfast.runtime.Progress;

/**
 * A small labelled video dataset whose classes need motion to tell apart: in every video one shape (disc, square or
 * diamond, random size and bright colour) moves over a darker random gradient background with per-frame noise (one
 * contrast polarity: with random polarity small 3D CNNs did not learn the task at all); the class is the
 * direction of the motion (and, beyond 8 classes, its speed). Start positions are uniform and the motion wraps around
 * the frame edges, so no single frame gives the label away.
 *
 * <p>Layout under the output directory (annotation paths are relative to the data directory, MMAction2's
 * {@code data_prefix}):
 * <pre>
 * label_map.txt                       one class name per line, line i = label i (names sorted)
 * videos/CLASS/CLASS_0000.mp4         --format mp4 (H.264)
 * train_list_videos.txt, val_list_videos.txt          "CLASS/CLASS_0000.mp4 LABEL"
 * rawframes/CLASS/CLASS_0000/img_00001.jpg            --format rawframes
 * train_list_rawframes.txt, val_list_rawframes.txt    "CLASS/CLASS_0000 FRAMES LABEL"
 * </pre>
 * Everything is a function of the seed.
 */
public final class SyntheticDataset {
    /**
     * The motion classes; a dataset with K classes uses the first K, labelled in name order (as build-file-list and
     * MMAction2's tools number class folders), so that {@code label_map.txt} is sorted.
     */
    public static final List<String> CLASS_NAMES = List.of(
            "right", "left", "down", "up", "down_right", "up_left", "down_left", "up_right",
            "right_fast", "left_fast", "down_fast", "up_fast",
            "down_right_fast", "up_left_fast", "down_left_fast", "up_right_fast");
    private static final int[][] DIRECTIONS = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}, {1, 1}, {-1, -1}, {-1, 1}, {1, -1}};

    public static final String LABEL_MAP = "label_map.txt";
    public static final String VIDEO_DIR = "videos";
    public static final String RAWFRAME_DIR = "rawframes";

    /** How the videos are stored. */
    public enum Format {
        MP4, RAWFRAMES;

        /** The data directory name under the output directory ({@code data_prefix}). */
        public String dataDir() {
            return this == MP4 ? VIDEO_DIR : RAWFRAME_DIR;
        }

        /** {@code train_list_videos.txt} or {@code train_list_rawframes.txt} (and {@code val_...}). */
        public String listName(String split) {
            return split + "_list_" + (this == MP4 ? "videos" : "rawframes") + ".txt";
        }
    }

    /**
     * Generation options. {@code valPerClass} videos of each class go to the val list, the rest to train.
     */
    public record Options(int classes, int videosPerClass, int valPerClass, int frames, int width, int height,
                          Format format, long seed) {
        public Options {
            if (classes < 1 || classes > CLASS_NAMES.size()) {
                throw new SlowfastException("--classes must be between 1 and " + CLASS_NAMES.size() + ", got " + classes);
            }
            if (videosPerClass < 1) {
                throw new SlowfastException("--videos-per-class must be at least 1, got " + videosPerClass);
            }
            if (valPerClass < 0 || valPerClass > 0 && valPerClass >= videosPerClass) {
                throw new SlowfastException("val videos per class must be fewer than the videos per class, got "
                        + valPerClass + " of " + videosPerClass);
            }
            if (frames < 2) {
                throw new SlowfastException("--frames must be at least 2, got " + frames);
            }
            if (width < 16 || height < 16 || width % 2 != 0 || height % 2 != 0) {
                throw new SlowfastException("--size must be even and at least 16x16, got " + width + "x" + height);
            }
        }

        /** The defaults: 4 classes × 30 videos (6 of them val), 40 frames of 64×64, rawframes, seed 0. */
        public static Options defaults() {
            return new Options(4, 30, 6, 40, 64, 64, Format.RAWFRAMES, 0);
        }

        /** One video in five (at least one when there are two or more) goes to val. */
        public static int defaultValPerClass(int videosPerClass) {
            return videosPerClass < 2 ? 0 : Math.max(1, videosPerClass / 5);
        }
    }

    private SyntheticDataset() {}

    /** Writes the dataset under {@code out}; returns the train list's path. */
    public static Path generate(Path out, Options options) {
        Path dataDir = out.resolve(options.format().dataDir());
        List<String> labelNames = labelNames(options.classes());
        List<String> train = new ArrayList<>();
        List<String> val = new ArrayList<>();
        try (Progress progress = Progress.start("make-synthetic", (long) labelNames.size() * options.videosPerClass(),
                "videos")) {
            for (int label = 0; label < labelNames.size(); label++) {
                String name = labelNames.get(label);
                for (int v = 0; v < options.videosPerClass(); v++) {
                    String video = String.format("%s/%s_%04d", name, name, v);
                    List<Frame> frames = render(options, CLASS_NAMES.indexOf(name), v);
                    String line;
                    if (options.format() == Format.MP4) {
                        writeVideo(dataDir.resolve(video + ".mp4"), frames);
                        line = video + ".mp4 " + label;
                    } else {
                        writeRawframes(dataDir.resolve(video), frames);
                        line = video + " " + frames.size() + " " + label;
                    }
                    (v < options.videosPerClass() - options.valPerClass() ? train : val).add(line);
                    progress.step(1);
                }
            }
        }
        AtomicFiles.writeString(out.resolve(LABEL_MAP), lines(labelNames));
        Path trainList = out.resolve(options.format().listName("train"));
        AtomicFiles.writeString(trainList, lines(train));
        AtomicFiles.writeString(out.resolve(options.format().listName("val")), lines(val));
        return trainList;
    }

    /** The class names of a dataset with {@code classes} classes, in label order (line i of label_map.txt). */
    public static List<String> labelNames(int classes) {
        return CLASS_NAMES.subList(0, classes).stream().sorted().toList();
    }

    /** The frames of video {@code index} of motion class {@code motion} (an index into {@link #CLASS_NAMES}). */
    static List<Frame> render(Options options, int motion, int index) {
        SplittableRandom random = new SplittableRandom(
                options.seed() * 1_000_003L + motion * 10_007L + index);
        int w = options.width();
        int h = options.height();
        int scale = Math.min(w, h);
        // Background: a gradient between two random colours along a random direction.
        int[] c0 = randomColour(random, 0, 140);
        int[] c1 = randomColour(random, 0, 140);
        double angle = random.nextDouble() * 2 * Math.PI;
        double gx = Math.cos(angle);
        double gy = Math.sin(angle);
        // The moving shape.
        int shape = random.nextInt(3);
        double radius = scale * (0.08 + 0.08 * random.nextDouble());
        int[] colour = randomColour(random, 200, 256); // brighter than any background: one polarity
        double x0 = random.nextDouble() * w;
        double y0 = random.nextDouble() * h;
        int[] dir = DIRECTIONS[motion % DIRECTIONS.length];
        double speed = scale / 64.0 * (0.8 + 0.4 * random.nextDouble()) * (motion >= DIRECTIONS.length ? 2.5 : 1);
        double norm = Math.hypot(dir[0], dir[1]);
        double vx = speed * dir[0] / norm;
        double vy = speed * dir[1] / norm;

        byte[] background = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double t = 0.5 + 0.5 * ((x - w / 2.0) * gx + (y - h / 2.0) * gy) / (scale / 2.0);
                t = Math.max(0, Math.min(1, t));
                for (int c = 0; c < 3; c++) {
                    background[(y * w + x) * 3 + c] = (byte) Math.round(c0[c] + t * (c1[c] - c0[c]));
                }
            }
        }
        List<Frame> frames = new ArrayList<>(options.frames());
        for (int f = 0; f < options.frames(); f++) {
            byte[] rgb = background.clone();
            for (int i = 0; i < rgb.length; i++) {
                int noisy = (rgb[i] & 0xff) + random.nextInt(13) - 6;
                rgb[i] = (byte) Math.max(0, Math.min(255, noisy));
            }
            double cx = x0 + f * vx;
            double cy = y0 + f * vy;
            drawWrapped(rgb, w, h, shape, cx, cy, radius, colour);
            frames.add(new Frame(w, h, rgb));
        }
        return frames;
    }

    /** Draws the shape centred at (cx, cy), wrapping around the frame edges. */
    private static void drawWrapped(byte[] rgb, int w, int h, int shape, double cx, double cy, double r, int[] colour) {
        cx = Math.floorMod((long) Math.floor(cx * 256), (long) w * 256) / 256.0;
        cy = Math.floorMod((long) Math.floor(cy * 256), (long) h * 256) / 256.0;
        int reach = (int) Math.ceil(r) + 1;
        for (int dy = -reach; dy <= reach; dy++) {
            for (int dx = -reach; dx <= reach; dx++) {
                int px = (int) Math.floor(cx) + dx;
                int py = (int) Math.floor(cy) + dy;
                double ox = px + 0.5 - cx;
                double oy = py + 0.5 - cy;
                boolean inside = switch (shape) {
                    case 0 -> ox * ox + oy * oy <= r * r;
                    case 1 -> Math.abs(ox) <= r * 0.85 && Math.abs(oy) <= r * 0.85;
                    default -> Math.abs(ox) + Math.abs(oy) <= r * 1.2;
                };
                if (inside) {
                    int o = (Math.floorMod(py, h) * w + Math.floorMod(px, w)) * 3;
                    rgb[o] = (byte) colour[0];
                    rgb[o + 1] = (byte) colour[1];
                    rgb[o + 2] = (byte) colour[2];
                }
            }
        }
    }

    private static int[] randomColour(SplittableRandom random, int from, int to) {
        return new int[] {random.nextInt(from, to), random.nextInt(from, to), random.nextInt(from, to)};
    }

    private static void writeVideo(Path file, List<Frame> frames) {
        Frame first = frames.get(0);
        try (VideoWriter writer = new VideoWriter(file, first.width(), first.height(), 25,
                VideoWriter.Codec.H264, 25)) {
            for (Frame frame : frames) {
                writer.write(frame.rgb());
            }
        }
    }

    private static void writeRawframes(Path dir, List<Frame> frames) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new SlowfastException(dir + ": cannot create: " + e.getMessage(), e);
        }
        for (int i = 0; i < frames.size(); i++) {
            FrameImages.writeJpeg(frames.get(i), dir.resolve(FrameImages.rawframeName(i + 1)));
        }
    }

    private static String lines(List<String> lines) {
        return lines.isEmpty() ? "" : String.join("\n", lines) + "\n";
    }
}
