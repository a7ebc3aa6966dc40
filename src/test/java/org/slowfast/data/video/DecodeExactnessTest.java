package org.slowfast.data.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.slowfast.data.FrameAssertions.assertSamePixels;

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
 * 8, 16, 32 or 64, and at odd widths; H.264, MPEG-4 part 2 with B-frames, full-range MJPEG, and FFV1 in 4:4:4 YUV
 * and in RGB, all encoded by the test with the bundled FFmpeg from a noisy test pattern, so the right-hand columns
 * differ from their neighbours.
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
                Arguments.of("ffv1_yuv444_339x254.mkv", 339, 254, List.of("-c:v", "ffv1", "-pix_fmt", "yuv444p")),
                Arguments.of("ffv1_rgb_339x254.mkv", 339, 254, List.of("-c:v", "ffv1", "-pix_fmt", "bgr0")),
                Arguments.of("mjpeg_341x257.avi", 341, 257, List.of("-c:v", "mjpeg", "-q:v", "2")));
    }

    @BeforeAll
    static void encodeClips() {
        clips().forEach(arguments -> {
            Object[] a = arguments.get();
            @SuppressWarnings("unchecked") List<String> codec = (List<String>) a[3];
            BundledFfmpeg.encodeTestPattern(dir.resolve((String) a[0]), (int) a[1], (int) a[2], FRAMES, codec);
        });
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

    /**
     * Clips with B-frames (reference B-frames too in x264's and x265's pyramids) and open GOPs, their frame count,
     * and at most how many of their frames a read of every other frame decodes (those it needs, and the frames they
     * refer to).
     */
    static Stream<Arguments> reorderedClips() {
        return Stream.of(Arguments.of("x264_bframes.mp4", 400, 210), Arguments.of("x265.mp4", 300, 170),
                Arguments.of("x264_opengop.mkv", 360, 330), Arguments.of("mpeg4_bframes_64x48.mp4", 120, 80));
    }

    /**
     * Sparse reads, as SampleFrames asks for (every other frame, a clip far into the video, random sets) skip the
     * frames they do not need where no other frame refers to them, and what they return is still every pixel of
     * FFmpeg's decode of those frames.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("reorderedClips")
    void sparseReadsSkipUnneededFramesAndStayExact(String name, int total, int decodedAtMost) {
        Path clip = name.startsWith("mpeg4") ? dir.resolve(name) : Path.of("src/test/resources/video", name);
        if (name.startsWith("mpeg4")) {
            BundledFfmpeg.encodeTestPattern(clip, 64, 48, total, List.of("-c:v", "mpeg4", "-bf", "2", "-g", "50"));
        }
        List<Frame> reference = BundledFfmpeg.decodeRgb24(clip, null, 64, 48);
        assertEquals(total, reference.size());
        java.util.Random random = new java.util.Random(name.hashCode());
        List<int[]> reads = new java.util.ArrayList<>(List.of(
                IntStream.range(0, total / 2).map(i -> 2 * i + 1).toArray(),
                IntStream.range(0, 32).map(i -> total - 70 + 2 * i).toArray(),
                new int[] {total - 1, 0, total / 2}));
        for (int trial = 0; trial < 10; trial++) {
            reads.add(random.ints(1 + random.nextInt(12), 0, total).toArray());
        }
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            for (int[] indices : reads) {
                List<Frame> frames = source.read(indices);
                for (int i = 0; i < indices.length; i++) {
                    assertSamePixels(List.of(reference.get(indices[i])), List.of(frames.get(i)),
                            name + " frame " + indices[i] + " of read " + java.util.Arrays.toString(indices));
                }
            }
        }
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            source.read(IntStream.range(0, total / 2).map(i -> 2 * i).toArray());
            assertTrue(source.framesDecoded() <= decodedAtMost, name + ": unneeded non-reference frames are skipped ("
                    + source.framesDecoded() + " of " + total + ")");
        }
    }

    /** Clips and short sides that give odd and unaligned widths. */
    static Stream<Arguments> shortSides() {
        return Stream.of(Arguments.of("h264_340x256.mp4", 127), Arguments.of("h264_340x256.mp4", 254),
                Arguments.of("mpeg4_339x254.mp4", 143), Arguments.of("mjpeg_341x257.avi", 200));
    }

    /** {@code build-rawframes --new-short S}: FFmpeg's bilinear scale to mmcv's rescaled size. */
    @ParameterizedTest(name = "{0} short side {1}")
    @MethodSource("shortSides")
    void shortSideResizeEqualsFfmpegsBilinearScale(String name, int shortSide) {
        Path clip = dir.resolve(name);
        try (VideoFrameSource source = VideoFrameSource.open(clip).resizeShortSide(shortSide)) {
            List<Frame> frames = source.read(IntStream.range(0, FRAMES).toArray());
            int w = frames.get(0).width();
            int h = frames.get(0).height();
            assertEquals(shortSide, Math.min(w, h));
            String filter = "scale=" + w + ":" + h + ":flags=bilinear";
            assertSamePixels(BundledFfmpeg.decodeRgb24(clip, filter, w, h), frames, name + " " + filter);
        }
    }

    /** {@code resize-videos}: FFmpeg's bicubic scale filter ({@code scale=-2:S}, exact rounding, full chroma). */
    @ParameterizedTest(name = "{0} short side {1}")
    @MethodSource("shortSides")
    void resizeEqualsFfmpegsBicubicScale(String name, int shortSide) {
        Path clip = dir.resolve(name);
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            int[] size = VideoResizer.outputSize(source.width(), source.height(), shortSide);
            source.resize(size[0], size[1]);
            String filter = "scale=" + size[0] + ":" + size[1] + ":flags=bicubic+accurate_rnd+full_chroma_int";
            assertSamePixels(BundledFfmpeg.decodeRgb24(clip, filter, size[0], size[1]),
                    source.read(IntStream.range(0, FRAMES).toArray()), name + " " + filter);
        }
    }
}
