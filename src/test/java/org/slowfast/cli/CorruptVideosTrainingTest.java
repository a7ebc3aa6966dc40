package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing lost: training on a video set with one corrupt video in 20 (5%) finishes, replacing that sample as
 * docs/data.md describes, and names the bad file once in the log however many epochs it fails in.
 */
class CorruptVideosTrainingTest {
    @Test
    void trainingFinishesAndNamesTheCorruptVideoOnce(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("videos");
        CliRun made = CliRun.of("make-synthetic", data.toString(), "--classes", "2", "--videos-per-class", "10",
                "--frames", "8", "--size", "16x16", "--format", "mp4");
        assertEquals(0, made.code(), made.err());
        String bad = Files.readAllLines(data.resolve("train_list_videos.txt")).get(1).split(" ")[0];
        Path badFile = data.resolve("videos").resolve(bad);
        byte[] bytes = Files.readAllBytes(badFile);
        Files.write(badFile, Arrays.copyOf(bytes, 300)); // truncated inside its header
        Path config = dir.resolve("videos.yaml");
        Files.writeString(config, "_base_: " + Path.of(TrainCommandTest.CONFIG).toAbsolutePath() + "\n"
                + "total_epochs: 2\nlog_config: {interval: 1}\n"
                + "data:\n"
                + "  videos_per_gpu: 4\n"
                + "  train:\n"
                + "    type: VideoDataset\n"
                + "    ann_file: " + data.resolve("train_list_videos.txt") + "\n"
                + "    data_prefix: " + data.resolve("videos") + "\n"
                + "    pipeline:\n"
                + "      - {type: DecordInit}\n"
                + "      - {type: SampleFrames, clip_len: 4, frame_interval: 1, num_clips: 1}\n"
                + "      - {type: DecordDecode}\n"
                + "      - {type: Resize, scale: [16, 16], keep_ratio: false}\n"
                + "      - {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375]}\n"
                + "      - {type: FormatShape, input_format: NCTHW}\n"
                + "      - {type: Collect, keys: [imgs, label], meta_keys: []}\n"
                + "      - {type: ToTensor, keys: [imgs, label]}\n");
        Path work = dir.resolve("work");
        CliRun run = CliRun.of("train", config.toString(), "--work-dir", work.toString(), "--seed", "0");
        assertEquals(0, run.code(), run.err());
        assertTrue(Files.exists(work.resolve("epoch_2.pth")));
        try (var files = Files.list(work)) {
            Path log = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(log);
            List<String> naming = lines.stream().filter(l -> l.contains(bad)).toList();
            assertEquals(1, naming.size(), String.join("\n", lines));
            assertTrue(naming.get(0).contains(" - mmaction - WARNING - replacing a sample that failed to load: "
                    + badFile + ": "), naming.get(0));
            for (int epoch = 1; epoch <= 2; epoch++) {
                String summary = "epoch " + epoch + ": 1 of 16 samples failed to load and were replaced";
                assertTrue(lines.stream().anyMatch(l -> l.endsWith(summary)), summary);
            }
            assertTrue(lines.stream().anyMatch(l -> l.contains(" - INFO - Training finished")));
        }
    }
}
