package org.slowfast.eval;

import org.slowfast.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.api.TestVideos;

/** {@code slowfast demo} classifies a video file exactly as {@code slowfast test} scores it in a video dataset. */
class DemoCommandTest {
    @TempDir Path dir;

    @Test
    void topKLabelsAndScoresEqualTheTestRowOfTheSameVideo() throws Exception {
        // a space in the name: the path must reach the decoder as given
        Path video = TestVideos.mp4(0, dir.resolve("clip one.mp4"));
        Files.createSymbolicLink(dir.resolve("v.mp4"), video);
        Path ann = Files.writeString(dir.resolve("list.txt"), "v.mp4 3\n");
        Path config = Files.writeString(dir.resolve("video.yaml"), """
                _base_: [%s]
                data:
                  test:
                    type: VideoDataset
                    ann_file: %s
                    data_prefix: %s
                    pipeline:
                      - {type: DecordInit}
                      - {type: SampleFrames, clip_len: 8, frame_interval: 1, num_clips: 2, test_mode: true}
                      - {type: DecordDecode}
                      - {type: ThreeCrop, crop_size: 32}
                      - {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], to_bgr: false}
                      - {type: FormatShape, input_format: NCTHW}
                      - {type: Collect, keys: [imgs, label], meta_keys: []}
                      - {type: ToTensor, keys: [imgs]}
                """.formatted(Path.of(TestCommandTest.CONFIG).toAbsolutePath(), ann, dir));
        Path result = dir.resolve("r.json");
        CliRun test = CliRun.of("test", config.toString(), TestCommandTest.CHECKPOINT, "--out",
                result.toString());
        assertEquals(0, test.code(), test.err());
        double[] row = ResultsFile.read(result)[0];

        Path labelMap = Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\n");
        CliRun demo = CliRun.of("demo", TestCommandTest.CONFIG, TestCommandTest.CHECKPOINT,
                video.toString(), "--label-map", labelMap.toString(), "--top-k", "3");
        assertEquals(0, demo.code(), demo.err());
        List<String> lines = demo.out().lines().toList();
        assertEquals("The top-3 labels with corresponding scores are:", lines.get(0));
        assertEquals(4, lines.size());
        List<String> names = List.of("zero", "one", "two", "three", "four");
        int[] best = Accuracy.topK(row, 3);
        for (int i = 0; i < 3; i++) {
            assertEquals(names.get(best[i]) + ": " + (float) row[best[i]], lines.get(i + 1));
        }
    }
}
