package org.slowfast.data.video;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;

/**
 * Frame accuracy on clips whose frames spell their own index, with a keyframe every 250 frames: H.264 (OpenH264, no
 * B-frames) and MPEG-4 part 2 with 2 B-frames, both written by the test with JavaCV, and H.264 from libx264 with 3
 * B-frames in a pyramid (a committed fixture, {@code tools/fixtures/indexed_clip_x264.py}, since the bundled FFmpeg
 * has no libx264).
 */
class VideoFrameSourceTest {
    private static final int FRAMES = 400;
    private static final int GOP = 250;

    @TempDir static Path dir;

    @BeforeAll
    static void writeClips() {
        for (VideoWriter.Codec codec : VideoWriter.Codec.values()) {
            IndexedClip.write(clip(codec), 64, 48, FRAMES, codec, GOP);
        }
    }

    private static Path clip(VideoWriter.Codec codec) {
        return dir.resolve(codec.name().toLowerCase() + ".mp4");
    }

    private static final Path X264_BFRAMES = Path.of("src/test/resources/video/indexed_x264_bframes.mp4");

    /** Each clip with the number of B-frames between its references. */
    static Stream<Arguments> clips() {
        return Stream.of(Arguments.of(clip(VideoWriter.Codec.H264), 0),
                Arguments.of(clip(VideoWriter.Codec.MPEG4_BFRAMES), 2),
                Arguments.of(X264_BFRAMES, 3));
    }

    /** True when some packet is presented before one decoded earlier, i.e. the stream really has B-frames. */
    private static boolean hasReorderedPackets(Path file) {
        AVFormatContext format = new AVFormatContext(null);
        assertEquals(0, avformat_open_input(format, file.toString(), (AVInputFormat) null, (AVDictionary) null));
        AVPacket packet = av_packet_alloc();
        long last = Long.MIN_VALUE;
        boolean reordered = false;
        while (av_read_frame(format, packet) >= 0) {
            reordered |= packet.pts() < last;
            last = packet.pts();
            av_packet_unref(packet);
        }
        av_packet_free(packet);
        avformat_close_input(format);
        return reordered;
    }

    private static int[] decodedIndices(List<Frame> frames) {
        return frames.stream().mapToInt(IndexedClip::decode).toArray();
    }

    @ParameterizedTest
    @MethodSource("clips")
    void countsEveryFrameAndDecodesThemInOrder(Path clip, int bFrames) {
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            assertEquals(FRAMES, source.totalFrames());
            int[] keys = source.keyframeIndices();
            assertEquals(0, keys[0]);
            // One keyframe every 250 packets; with B-frames the second one is displayed a little later.
            assertEquals(2, keys.length, Arrays.toString(keys));
            assertEquals(0, keys[0]);
            assertTrue(keys[1] >= GOP && keys[1] <= GOP + bFrames, Arrays.toString(keys));
            assertEquals(bFrames > 0, hasReorderedPackets(clip), "B-frames reorder the packets");
            int[] all = IntStream.range(0, FRAMES).toArray();
            List<Frame> frames = source.read(all);
            assertEquals(64, frames.get(0).width());
            assertEquals(48, frames.get(0).height());
            assertEquals(Arrays.toString(all), Arrays.toString(decodedIndices(frames)));
        }
    }

    @ParameterizedTest
    @MethodSource("clips")
    void randomAccessAfterSeeksIsFrameAccurate(Path clip, int bFrames) {
        Random random = new Random(7);
        try (VideoFrameSource source = VideoFrameSource.open(clip)) {
            int[][] fixed = {{FRAMES - 1}, {FRAMES - 1, 0}, {260, 255, 249, 250, 251}, {251, 251, 5, 251},
                {300, 100}, {0}, {399, 398, 397}};
            for (int[] indices : fixed) {
                assertEquals(Arrays.toString(indices), Arrays.toString(decodedIndices(source.read(indices))));
            }
            for (int trial = 0; trial < 25; trial++) {
                int[] indices = new int[1 + random.nextInt(8)];
                for (int i = 0; i < indices.length; i++) {
                    indices[i] = i > 0 && random.nextInt(4) == 0 ? indices[i - 1] : random.nextInt(FRAMES);
                }
                assertEquals(Arrays.toString(indices), Arrays.toString(decodedIndices(source.read(indices))));
            }
        }
    }

    @Test
    void elementaryStreamWithoutTimestampsIsCountedFromTheStart() {
        Path raw = Path.of("src/test/resources/video/indexed_x264_bframes.h264");
        try (VideoFrameSource source = VideoFrameSource.open(raw)) {
            assertEquals(FRAMES, source.totalFrames());
            assertEquals("[0]", Arrays.toString(source.keyframeIndices()), "no seeking without timestamps");
            int[] indices = {399, 3, 3, 260, 0, 398, 250};
            assertEquals(Arrays.toString(indices), Arrays.toString(decodedIndices(source.read(indices))));
        }
    }

    @Test
    void severalSourcesDecodeConcurrently() throws Exception {
        Path file = clip(VideoWriter.Codec.H264);
        List<Thread> threads = new java.util.ArrayList<>();
        List<Throwable> failures = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        for (int t = 0; t < 3; t++) {
            int seed = t;
            Thread thread = new Thread(() -> {
                Random random = new Random(seed);
                try (VideoFrameSource source = VideoFrameSource.open(file)) {
                    for (int trial = 0; trial < 5; trial++) {
                        int[] indices = random.ints(4, 0, FRAMES).toArray();
                        assertEquals(Arrays.toString(indices), Arrays.toString(decodedIndices(source.read(indices))));
                    }
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join();
        }
        assertTrue(failures.isEmpty(), failures.toString());
    }

    @Test
    void indexOutOfRangeIsAOneLineError() {
        try (VideoFrameSource source = VideoFrameSource.open(clip(VideoWriter.Codec.H264))) {
            assertOneLineNaming(clip(VideoWriter.Codec.H264),
                    assertThrows(SlowfastException.class, () -> source.read(new int[] {3, FRAMES})));
        }
    }

    @Test
    void truncatedMissingAndNonVideoFilesAreOneLineErrors() throws IOException {
        byte[] whole = Files.readAllBytes(clip(VideoWriter.Codec.H264));
        Path truncated = dir.resolve("truncated.mp4");
        Files.write(truncated, Arrays.copyOf(whole, whole.length * 6 / 10));
        Path text = dir.resolve("notes.mp4");
        Files.writeString(text, "this is not a video\n".repeat(50));
        Path missing = dir.resolve("missing.mp4");
        for (Path bad : List.of(truncated, text, missing)) {
            SlowfastException e = assertThrows(SlowfastException.class, () -> {
                try (VideoFrameSource source = VideoFrameSource.open(bad)) {
                    source.read(new int[] {source.totalFrames() - 1});
                }
            });
            assertOneLineNaming(bad, e);
        }
    }

    private static void assertOneLineNaming(Path file, SlowfastException e) {
        assertTrue(e.getMessage().startsWith(file.toString() + ": "), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }
}
