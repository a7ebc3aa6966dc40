package org.slowfast.data.video;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
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

    @ParameterizedTest
    @ValueSource(strings = {"x264_bframes.mp4", "x264_opengop.mkv", "x264.ts", "x265.mp4", "vp9.webm",
        "mpeg4_bframes.avi", "x264_vfr.mkv", "x264_headcut.ts"})
    void framesMatchTheFfmpegTool(String clip) {
        int[] expected = expected(clip);
        int n = expected.length;
        try (VideoFrameSource source = VideoFrameSource.open(DIR.resolve(clip))) {
            assertEquals(n, source.totalFrames(), "total frames");
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
