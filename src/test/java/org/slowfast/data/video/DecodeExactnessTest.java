package org.slowfast.data.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.data.Frame;

/**
 * Every decoded pixel equals FFmpeg's own RGB24 decode of the same frame ({@code ffmpeg -pix_fmt rgb24}, the bundled
 * executable): at 340×256 (Kinetics as MMAction2's resize_videos.py leaves it), at widths that are not a multiple of
 * 8, 16, 32 or 64, and at odd widths; H.264, MPEG-4 part 2 with B-frames and full-range MJPEG, all encoded by the test
 * with the bundled FFmpeg from a noisy test pattern, so the right-hand columns differ from their neighbours.
 */
class DecodeExactnessTest {
    private static final int FRAMES = 6;

    @TempDir static Path dir;

    /** name, width, height, encoder arguments (the output format follows from the name). */
    static Stream<Arguments> clips() {
        return Stream.of(
                Arguments.of("h264_340x256.mp4", 340, 256, List.of("-c:v", "libopenh264", "-b:v", "3M")),
                Arguments.of("h264_338x254.mp4", 338, 254, List.of("-c:v", "libopenh264", "-b:v", "3M")),
                Arguments.of("h264_330x250.mp4", 330, 250, List.of("-c:v", "libopenh264", "-b:v", "3M")),
                Arguments.of("mpeg4_340x256.mp4", 340, 256, List.of("-c:v", "mpeg4", "-bf", "2", "-q:v", "3")),
                Arguments.of("mpeg4_339x255.mp4", 339, 255, List.of("-c:v", "mpeg4", "-bf", "2", "-q:v", "3")),
                Arguments.of("mpeg4_337x253.avi", 337, 253, List.of("-c:v", "mpeg4", "-q:v", "3")),
                Arguments.of("mpeg4_339x254.mp4", 339, 254, List.of("-c:v", "mpeg4", "-bf", "2", "-q:v", "3")),
                Arguments.of("mpeg4_341x256.avi", 341, 256, List.of("-c:v", "mpeg4", "-q:v", "3")),
                Arguments.of("h264_bt709_340x256.mp4", 340, 256, List.of("-c:v", "libopenh264", "-b:v", "3M",
                        "-bsf:v", "h264_metadata=matrix_coefficients=1:colour_primaries=1:transfer_characteristics=1")),
                Arguments.of("h264_fullrange_338x256.mp4", 338, 256, List.of("-c:v", "libopenh264", "-b:v", "3M",
                        "-bsf:v", "h264_metadata=video_full_range_flag=1")),
                Arguments.of("mjpeg_341x257.avi", 341, 257, List.of("-c:v", "mjpeg", "-q:v", "2")));
    }

    @BeforeAll
    static void encodeClips() {
        clips().forEach(arguments -> {
            Object[] a = arguments.get();
            @SuppressWarnings("unchecked") List<String> codec = (List<String>) a[3];
            encode(dir.resolve((String) a[0]), (int) a[1], (int) a[2], codec);
        });
    }

    /** A moving test pattern with per-pixel noise, cropped to an arbitrary (also odd) size in RGB, then encoded. */
    static void encode(Path file, int width, int height, List<String> codec) {
        String source = String.format("testsrc2=size=%dx%d:rate=25,format=rgb24,crop=%d:%d:0:0,noise=alls=40:allf=t",
                width + width % 2, height + height % 2, width, height);
        List<String> args = new java.util.ArrayList<>(List.of("-f", "lavfi", "-i", source,
                "-frames:v", Integer.toString(FRAMES), "-pix_fmt", codec.contains("mjpeg") ? "yuvj420p" : "yuv420p"));
        args.addAll(codec);
        args.addAll(List.of("-y", file.toString()));
        BundledFfmpeg.run(args.toArray(String[]::new));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("clips")
    void everyPixelEqualsFfmpegsRgb24Decode(String name, int width, int height) {
        Path clip = dir.resolve(name);
        List<Frame> reference = BundledFfmpeg.decodeRgb24(clip, null, width, height);
        assertEquals(FRAMES, reference.size(), "frames ffmpeg decoded");
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            assertEquals(width, source.width());
            assertEquals(FRAMES, source.totalFrames());
            assertSamePixels(reference, source.read(IntStream.range(0, FRAMES).toArray()), name);
            // Out of order and after a seek back, the same pixels.
            int[] backwards = {FRAMES - 1, 1, 0};
            List<Frame> again = source.read(backwards);
            for (int i = 0; i < backwards.length; i++) {
                assertSamePixels(List.of(reference.get(backwards[i])), List.of(again.get(i)), name + " reread");
            }
        }
    }

    /** Fails naming the first differing frame, pixel and channel, and the columns that differ in that frame. */
    static void assertSamePixels(List<Frame> expected, List<Frame> actual, String what) {
        assertEquals(expected.size(), actual.size(), what + ": frame count");
        for (int f = 0; f < expected.size(); f++) {
            Frame e = expected.get(f);
            Frame a = actual.get(f);
            assertEquals(e.width() + "x" + e.height(), a.width() + "x" + a.height(), what + ": frame " + f + " size");
            byte[] eb = e.rgb();
            byte[] ab = a.rgb();
            if (java.util.Arrays.equals(eb, ab)) {
                continue;
            }
            java.util.BitSet columns = new java.util.BitSet();
            int first = -1;
            for (int i = 0; i < eb.length; i++) {
                if (eb[i] != ab[i]) {
                    first = first < 0 ? i : first;
                    columns.set(i / 3 % e.width());
                }
            }
            int pixel = first / 3;
            fail(String.format("%s: frame %d differs first at x=%d y=%d channel %d (%d, expected %d); columns that"
                    + " differ: %s", what, f, pixel % e.width(), pixel / e.width(), first % 3, ab[first] & 0xff,
                    eb[first] & 0xff, ranges(columns)));
        }
    }

    /** {@code {0, 1, 2, 5}} as {@code "0-2, 5"}. */
    private static String ranges(java.util.BitSet set) {
        StringBuilder out = new StringBuilder();
        for (int from = set.nextSetBit(0); from >= 0; from = set.nextSetBit(set.nextClearBit(from))) {
            int to = set.nextClearBit(from) - 1;
            out.append(out.length() > 0 ? ", " : "").append(from).append(to > from ? "-" + to : "");
        }
        return out.toString();
    }
}
