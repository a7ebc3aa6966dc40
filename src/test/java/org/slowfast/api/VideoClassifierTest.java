package org.slowfast.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;
import org.slowfast.data.Frame;
import org.slowfast.data.video.VideoFrameSource;

/**
 * The library entry point: bytes and files give the same scores, a batch gives each video's unbatched scores, and
 * anything that is not a video is an {@link InvalidVideoException}. (That its scores are {@code test}'s for the same
 * video is DemoCommandTest's check: demo runs through this class.)
 */
class VideoClassifierTest {
    @TempDir static Path dir;
    static VideoClassifier model;
    static List<Path> videos = new ArrayList<>();

    @BeforeAll
    static void load() {
        model = VideoClassifier.load(TestVideos.CONFIG, TestVideos.CHECKPOINT, Device.cpu());
        for (int k = 0; k < 4; k++) {
            videos.add(TestVideos.mp4(dir, k));
        }
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void bytesAndFileGiveTheSameProbabilities() throws Exception {
        Prediction file = model.classify(videos.get(0));
        Prediction bytes = model.classify(Files.readAllBytes(videos.get(0)));
        assertArrayEquals(file.scores(), bytes.scores());
        assertEquals(List.of("0", "1", "2", "3", "4"), file.labels());
        double sum = 0;
        for (float s : file.scores()) {
            sum += s;
        }
        assertEquals(1.0, sum, 1e-5, "average_clips prob: softmax scores");
    }

    @Test
    void framesDecodedElsewhereGiveTheFilesClip() {
        List<Frame> frames;
        try (VideoFrameSource source = VideoFrameSource.open(videos.get(2))) {
            frames = source.read(IntStream.range(0, source.totalFrames()).toArray());
        }
        VideoClassifier.Clip fromFile = model.prepare(videos.get(2));
        VideoClassifier.Clip fromFrames = model.prepare(frames);
        assertArrayEquals(fromFile.shape(), fromFrames.shape());
        assertArrayEquals(fromFile.data(), fromFrames.data());
        assertThrows(InvalidVideoException.class, () -> model.prepare(List.<Frame>of()));
    }

    @Test
    void batchedScoresEqualUnbatchedOnes() {
        List<VideoClassifier.Clip> clips = videos.stream().map(model::prepare).toList();
        List<Prediction> batched = model.predict(clips);
        for (int i = 0; i < clips.size(); i++) {
            float[] alone = model.predict(List.of(clips.get(i))).get(0).scores();
            float[] inBatch = batched.get(i).scores();
            for (int c = 0; c < alone.length; c++) {
                assertEquals(alone[c], inBatch[c], 1e-5, "video " + i + " class " + c);
            }
        }
    }

    @Test
    void topIsDescendingWithLabelsFromTheLabelMap() throws Exception {
        Path labels = Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\n");
        try (VideoClassifier named = VideoClassifier.builder(TestVideos.CONFIG, TestVideos.CHECKPOINT)
                .labelMap(labels).device(Device.cpu()).load()) {
            Prediction p = named.classify(videos.get(1));
            Map<String, Float> top = p.top(3);
            assertEquals(3, top.size());
            float previous = Float.MAX_VALUE;
            for (Map.Entry<String, Float> e : top.entrySet()) {
                assertTrue(e.getValue() <= previous);
                assertEquals(p.scores()[List.of("zero", "one", "two", "three", "four").indexOf(e.getKey())],
                        e.getValue());
                previous = e.getValue();
            }
        }
    }

    @Test
    void whatIsNotAVideoIsAnInvalidVideo() throws Exception {
        List<byte[]> bad = List.of(new byte[0], TestVideos.garbage(5000, 1),
                "just some text\n".repeat(100).getBytes(StandardCharsets.UTF_8),
                TestVideos.truncated(videos.get(0)));
        for (byte[] body : bad) {
            InvalidVideoException e = assertThrows(InvalidVideoException.class, () -> model.classify(body));
            assertTrue(!e.getMessage().contains("slowfast-video-"), "no temporary path: " + e.getMessage());
        }
        assertThrows(SlowfastException.class, () -> model.classify(dir.resolve("missing.mp4")));
    }
}
