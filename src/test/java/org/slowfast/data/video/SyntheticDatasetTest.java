package org.slowfast.data.video;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.data.Frame;
import org.slowfast.data.FrameAssertions;
import org.slowfast.data.video.SyntheticDataset.Format;
import org.slowfast.data.video.SyntheticDataset.Options;

class SyntheticDatasetTest {
    @TempDir Path dir;

    private static Options rawframes(long seed) {
        return new Options(4, 8, 1, 16, 48, 48, Format.RAWFRAMES, seed);
    }

    @Test
    void rawframeLayoutAndAnnotationLists() throws IOException {
        Path out = dir.resolve("a");
        Path trainList = SyntheticDataset.generate(out, rawframes(3));
        assertEquals(out.resolve("train_list_rawframes.txt"), trainList);
        assertEquals(List.of("down", "left", "right", "up"), Files.readAllLines(out.resolve("label_map.txt")));
        List<String> train = Files.readAllLines(trainList);
        List<String> val = Files.readAllLines(out.resolve("val_list_rawframes.txt"));
        assertEquals(28, train.size());
        assertEquals(4, val.size());
        assertEquals("down/down_0000 16 0", train.get(0));
        assertEquals("right/right_0000 16 2", train.get(14));
        assertEquals("up/up_0007 16 3", val.get(3));
        for (String line : concat(train, val)) {
            String[] parts = line.split(" ");
            assertEquals(3, parts.length, line);
            Path frameDir = out.resolve("rawframes").resolve(parts[0]);
            try (Stream<Path> files = Files.list(frameDir)) {
                assertEquals(List.of(imageNames(16)), files.map(p -> p.getFileName().toString()).sorted().toList());
            }
            BufferedImage image = ImageIO.read(frameDir.resolve("img_00016.jpg").toFile());
            assertEquals(48, image.getWidth());
            assertEquals(48, image.getHeight());
        }
    }

    @Test
    void deterministicFromTheSeed() throws IOException {
        SyntheticDataset.generate(dir.resolve("a"), rawframes(3));
        SyntheticDataset.generate(dir.resolve("b"), rawframes(3));
        SyntheticDataset.generate(dir.resolve("c"), rawframes(4));
        Path frame = Path.of("rawframes/down/down_0002/img_00005.jpg");
        assertArrayEquals(Files.readAllBytes(dir.resolve("a").resolve(frame)),
                Files.readAllBytes(dir.resolve("b").resolve(frame)));
        assertFalse(java.util.Arrays.equals(Files.readAllBytes(dir.resolve("a").resolve(frame)),
                Files.readAllBytes(dir.resolve("c").resolve(frame))));
    }

    /**
     * The label is in the motion, not in any single frame: a nearest-centroid classifier on first-frame colour
     * statistics is near chance (leave-one-out), while the global optical flow (least-squares brightness constancy
     * over the frame differences) gives the direction of every video.
     */
    @Test
    void classesNeedMotionToTellApart() {
        Options options = new Options(4, 10, 0, 12, 48, 48, Format.RAWFRAMES, 11);
        int[][] directions = {{1, 0}, {-1, 0}, {0, 1}, {0, -1}}; // motion classes right, left, down, up
        List<double[]> firstFrame = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int flowCorrect = 0;
        for (int motion = 0; motion < 4; motion++) {
            for (int v = 0; v < options.videosPerClass(); v++) {
                List<Frame> frames = SyntheticDataset.render(options, motion, v);
                firstFrame.add(colourStatistics(frames.get(0)));
                labels.add(motion);
                double[] flow = globalFlow(frames);
                int best = 0;
                for (int d = 1; d < 4; d++) {
                    if (dot(flow, directions[d]) > dot(flow, directions[best])) {
                        best = d;
                    }
                }
                flowCorrect += best == motion ? 1 : 0;
            }
        }
        int n = labels.size();
        assertEquals(n, flowCorrect, "the motion gives every label");
        int frameCorrect = 0;
        for (int i = 0; i < n; i++) {
            double[][] centroid = new double[4][firstFrame.get(0).length];
            int[] count = new int[4];
            for (int j = 0; j < n; j++) {
                if (j != i) {
                    count[labels.get(j)]++;
                    for (int k = 0; k < centroid[0].length; k++) {
                        centroid[labels.get(j)][k] += firstFrame.get(j)[k];
                    }
                }
            }
            int best = -1;
            double bestDistance = Double.MAX_VALUE;
            for (int c = 0; c < 4; c++) {
                double distance = 0;
                for (int k = 0; k < centroid[c].length; k++) {
                    double diff = centroid[c][k] / count[c] - firstFrame.get(i)[k];
                    distance += diff * diff;
                }
                if (distance < bestDistance) {
                    bestDistance = distance;
                    best = c;
                }
            }
            frameCorrect += best == labels.get(i) ? 1 : 0;
        }
        assertTrue(frameCorrect <= n / 2, "one frame must not give the label away: " + frameCorrect + "/" + n);
    }

    @Test
    void mp4VideosDecodeToTheRenderedFrames() throws IOException {
        Options options = new Options(2, 2, 1, 10, 32, 32, Format.MP4, 5);
        Path out = dir.resolve("v");
        SyntheticDataset.generate(out, options);
        assertEquals(List.of("left/left_0000.mp4 0", "right/right_0000.mp4 1"),
                Files.readAllLines(out.resolve("train_list_videos.txt")));
        assertEquals(List.of("left/left_0001.mp4 0", "right/right_0001.mp4 1"),
                Files.readAllLines(out.resolve("val_list_videos.txt")));
        Path video = out.resolve("videos/left/left_0001.mp4");
        try (VideoFrameSource source = VideoFrameSource.open(video)) {
            assertEquals(10, source.totalFrames());
            // Decoding is exact: every pixel is FFmpeg's own rgb24 decode.
            List<Frame> decoded = source.read(IntStream.range(0, 10).toArray());
            FrameAssertions.assertSamePixels(BundledFfmpeg.decodeRgb24(video, null, 32, 32), decoded, video.toString());
            // Encoding is lossy: each decoded frame is close to the rendered one in every column.
            List<Frame> rendered = SyntheticDataset.render(options, 1, 1);
            for (int t : new int[] {0, 9}) {
                double[] columns = columnMeanAbsDiff(rendered.get(t), decoded.get(t));
                assertTrue(Arrays.stream(columns).max().orElseThrow() < 20,
                        "frame " + t + ": " + Arrays.toString(columns));
            }
        }
    }

    /** The mean absolute difference of each column (over its rows and channels). */
    private static double[] columnMeanAbsDiff(Frame a, Frame b) {
        double[] columns = new double[a.width()];
        for (int i = 0; i < a.rgb().length; i++) {
            columns[i / 3 % a.width()] += Math.abs((a.rgb()[i] & 0xff) - (b.rgb()[i] & 0xff)) / (3.0 * a.height());
        }
        return columns;
    }

    /** Mean and standard deviation of each colour channel. */
    private static double[] colourStatistics(Frame frame) {
        double[] stats = new double[6];
        int n = frame.width() * frame.height();
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < n; i++) {
                int v = frame.rgb()[i * 3 + c] & 0xff;
                sum += v;
                sq += v * v;
            }
            stats[c] = sum / n;
            stats[3 + c] = Math.sqrt(sq / n - stats[c] * stats[c]);
        }
        return stats;
    }

    /** Least-squares (vx, vy) solving Ix·vx + Iy·vy + It = 0 over all pixels and frame pairs (per channel). */
    private static double[] globalFlow(List<Frame> frames) {
        double sxx = 0;
        double sxy = 0;
        double syy = 0;
        double sxt = 0;
        double syt = 0;
        int w = frames.get(0).width();
        int h = frames.get(0).height();
        for (int t = 0; t + 1 < frames.size(); t++) {
            byte[] a = frames.get(t).rgb();
            byte[] b = frames.get(t + 1).rgb();
            for (int y = 1; y < h - 1; y++) {
                for (int x = 1; x < w - 1; x++) {
                    for (int c = 0; c < 3; c++) {
                        int o = (y * w + x) * 3 + c;
                        double ix = ((a[o + 3] & 0xff) - (a[o - 3] & 0xff) + (b[o + 3] & 0xff) - (b[o - 3] & 0xff)) / 4.0;
                        double iy = ((a[o + 3 * w] & 0xff) - (a[o - 3 * w] & 0xff)
                                + (b[o + 3 * w] & 0xff) - (b[o - 3 * w] & 0xff)) / 4.0;
                        double it = (b[o] & 0xff) - (a[o] & 0xff);
                        sxx += ix * ix;
                        sxy += ix * iy;
                        syy += iy * iy;
                        sxt += ix * it;
                        syt += iy * it;
                    }
                }
            }
        }
        double det = sxx * syy - sxy * sxy;
        return new double[] {(-syy * sxt + sxy * syt) / det, (sxy * sxt - sxx * syt) / det};
    }

    private static double dot(double[] v, int[] d) {
        return v[0] * d[0] + v[1] * d[1];
    }

    private static String[] imageNames(int n) {
        String[] names = new String[n];
        for (int i = 0; i < n; i++) {
            names[i] = String.format("img_%05d.jpg", i + 1);
        }
        return names;
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
