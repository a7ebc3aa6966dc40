package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MakeSyntheticCommandTest {
    @TempDir Path dir;

    @Test
    void writesTheDatasetWithItsLists() throws Exception {
        CliRun r = CliRun.of("make-synthetic", dir.toString(), "--classes", "3",
                "--videos-per-class", "5", "--frames", "6", "--size", "32x24", "--format", "mp4", "--seed", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("down", "left", "right"), Files.readAllLines(dir.resolve("label_map.txt")));
        // One video in five goes to val.
        assertEquals(12, Files.readAllLines(dir.resolve("train_list_videos.txt")).size());
        assertEquals(List.of("down/down_0004.mp4 0", "left/left_0004.mp4 1", "right/right_0004.mp4 2"),
                Files.readAllLines(dir.resolve("val_list_videos.txt")));
        assertTrue(Files.isRegularFile(dir.resolve("videos/down/down_0004.mp4")));
    }

    @Test
    void badOptionsAreOneLineErrors() {
        CliRun r = CliRun.of("make-synthetic", dir.toString(), "--size", "64by64");
        assertEquals(2, r.code());
        assertEquals("error: --size must be WxH, e.g. 64x64, got 64by64", r.err().strip());
        r = CliRun.of("make-synthetic", dir.toString(), "--format", "avi");
        assertEquals(2, r.code());
        assertEquals("error: --format must be mp4 or rawframes, got avi", r.err().strip());
    }
}
