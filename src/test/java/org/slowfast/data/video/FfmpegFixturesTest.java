package org.slowfast.data.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.data.Frame;

/**
 * Frame accuracy against the ffmpeg command-line tool, on clips it encoded (tools/fixtures/make_video_fixtures.py):
 * libx264 with B-pyramids, open GOPs, MPEG-TS, x265, VP9, MPEG-4 in AVI, variable frame rate, and a stream cut
 * mid-GOP. Each frame spells its own index; {@code <clip>.frames} lists what the ffmpeg tool decoded, in order, so
 * frame k of {@link VideoFrameSource} must show the k-th number there.
 */
class FfmpegFixturesTest {
    private static final Path DIR = Path.of("src/test/resources/video");

    private static int[] expected(String clip) {
        try {
            String text = Files.readString(DIR.resolve(clip + ".frames")).trim();
            return Arrays.stream(text.split("\\s+")).mapToInt(Integer::parseInt).toArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String shown(List<Frame> frames) {
        return Arrays.toString(frames.stream().mapToInt(IndexedClip::decode).toArray());
    }

    private static String want(int[] expected, int[] indices) {
        return Arrays.toString(Arrays.stream(indices).map(i -> expected[i]).toArray());
    }

    /**
     * The clips and their keyframes, from the encoder settings in the generator (the keyframe interval). The AVI
     * clip has no presentation timestamps, so it is decoded from the start (one keyframe, frame 0); the head-cut
     * clip starts at the old frame 200's keyframe.
     */
    static Stream<Arguments> clips() {
        return Stream.of(
                Arguments.of("x264_bframes.mp4", new int[] {0, 250}),
                Arguments.of("x264_opengop.mkv", new int[] {0, 90, 180, 270}),
                Arguments.of("x264.ts", new int[] {0, 100, 200}),
                Arguments.of("x265.mp4", new int[] {0, 100, 200}),
                Arguments.of("vp9.webm", new int[] {0, 250}),
                Arguments.of("mpeg4_bframes.avi", new int[] {0}),
                Arguments.of("x264_vfr.mkv", new int[] {0, 250}),
                Arguments.of("x264_headcut.ts", new int[] {0}));
    }

    @ParameterizedTest
    @MethodSource("clips")
    void framesMatchTheFfmpegTool(String clip, int[] keyframes) {
        int[] expected = expected(clip);
        int n = expected.length;
        try (VideoFrameSource source = VideoFrameSource.open(DIR.resolve(clip))) {
            assertEquals(n, source.totalFrames(), "total frames");
            assertEquals(Arrays.toString(keyframes), Arrays.toString(source.keyframeIndices()));
            // Reading the last frame after the first seeks to the last keyframe instead of decoding everything.
            source.read(new int[] {0});
            long before = source.framesDecoded();
            assertEquals(expected[n - 1], IndexedClip.decode(source.read(new int[] {n - 1}).get(0)));
            int lastKey = keyframes[keyframes.length - 1];
            assertTrue(source.framesDecoded() - before <= n - lastKey, "decoded from the last keyframe");
            int[] all = IntStream.range(0, n).toArray();
            assertEquals(want(expected, all), shown(source.read(all)), "every frame in order");
            int[][] fixed = {{n - 1}, {n - 1, 0}, {n / 2, n / 2 - 1, n / 2 + 1}, {n - 2, 3, n - 2}, {1}, {0, n - 1}};
            for (int[] indices : fixed) {
                assertEquals(want(expected, indices), shown(source.read(indices)), Arrays.toString(indices));
            }
            Random random = new Random(clip.hashCode());
            for (int trial = 0; trial < 30; trial++) {
                int[] indices = new int[1 + random.nextInt(6)];
                for (int i = 0; i < indices.length; i++) {
                    indices[i] = i > 0 && random.nextInt(4) == 0 ? indices[i - 1] : random.nextInt(n);
                }
                assertEquals(want(expected, indices), shown(source.read(indices)), Arrays.toString(indices));
            }
        }
    }
}
