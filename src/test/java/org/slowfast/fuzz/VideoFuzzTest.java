package org.slowfast.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.slowfast.data.video.IndexedClip;
import org.slowfast.data.video.VideoFrameSource;
import org.slowfast.data.video.VideoWriter;

/**
 * The video opener and decoder on mutated bytes of a real clip the test writes (H.264 and MPEG-4 with B-frames):
 * opening and decoding every frame returns normally or fails in one line, and never crashes the JVM.
 */
class VideoFuzzTest {
    @TempDir Path dir;

    @ParameterizedTest
    @EnumSource(VideoWriter.Codec.class)
    void decodesEveryMutantOrFailsInOneLine(VideoWriter.Codec codec) {
        Path clip = dir.resolve("clip.mp4");
        IndexedClip.write(clip, 32, 32, 12, codec, 4);
        Fuzz.Reader decode = file -> {
            try (VideoFrameSource video = VideoFrameSource.open(file)) {
                video.readAll((index, frame) -> { });
            }
        };
        try (Fuzz fuzz = new Fuzz("video", dir)) {
            List<Path> corpus = new ArrayList<>(fuzz.corpus(".mp4"));
            corpus.add(clip);
            List<Integer> frames = new ArrayList<>();
            try (VideoFrameSource video = VideoFrameSource.open(clip)) {
                video.readAll((index, frame) -> frames.add(index));
            }
            assertEquals(12, frames.size(), "the target decodes its seed");
            Path file = dir.resolve("mutant.mp4");
            for (Path input : corpus) {
                fuzz.check(Fuzz.read(input), file, decode);
            }
            Mutator mutator = new Mutator(fuzz.random, Fuzz.bytes(corpus));
            for (int i = 0; i < Fuzz.tries(100); i++) {
                fuzz.check(mutator.next(), file, decode);
            }
        }
    }
}
