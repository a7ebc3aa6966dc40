package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BuildFileListCommandTest {
    @TempDir Path dir;

    @Test
    void rawframeListsWithASeededPerClassSplit() throws Exception {
        Path src = dir.resolve("rawframes");
        for (int v = 0; v < 10; v++) {
            Path d = Files.createDirectories(src.resolve("walk/w" + v));
            for (int f = 1; f <= 3 + v; f++) {
                Files.writeString(d.resolve(String.format("img_%05d.jpg", f)), "");
            }
            Files.writeString(d.resolve("flow_x_00001.jpg"), "");
        }
        for (int v = 0; v < 5; v++) {
            Files.createDirectories(src.resolve("jump/j" + v));
        }
        Path out = dir.resolve("lists");
        CliRun r = CliRun.of("build-file-list", src.toString(), out.toString(),
                "--format", "rawframes", "--seed", "1");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("jump", "walk"), Files.readAllLines(out.resolve("label_map.txt")));
        List<String> train = Files.readAllLines(out.resolve("train_list_rawframes.txt"));
        List<String> val = Files.readAllLines(out.resolve("val_list_rawframes.txt"));
        assertEquals(1, val.stream().filter(l -> l.startsWith("jump/")).count());
        assertEquals(2, val.stream().filter(l -> l.startsWith("walk/")).count());
        List<String> all = new ArrayList<>(train);
        all.addAll(val);
        assertEquals(15, all.size());
        assertTrue(all.contains("jump/j3 0 0"), all.toString());
        assertTrue(all.contains("walk/w0 3 1"), all.toString());
        assertTrue(all.contains("walk/w9 12 1"), all.toString());

        Path again = dir.resolve("again");
        CliRun.of("build-file-list", src.toString(), again.toString(), "--format", "rawframes", "--seed", "1");
        assertEquals(val, Files.readAllLines(again.resolve("val_list_rawframes.txt")), "the split follows the seed");
    }

    @Test
    void levelOneVideoListsTakeTheClassFromTheName() throws Exception {
        Path src = Files.createDirectories(dir.resolve("videos"));
        for (String name : List.of("right_0000.mp4", "right_0001.mp4", "left_0000.mp4", "left_0001.avi",
                "readme.txt")) {
            Files.writeString(src.resolve(name), "");
        }
        Path out = dir.resolve("lists");
        CliRun r = CliRun.of("build-file-list", src.toString(), out.toString(),
                "--format", "videos", "--level", "1", "--val-ratio", "0");
        assertEquals(0, r.code(), r.err());
        assertEquals(List.of("left", "right"), Files.readAllLines(out.resolve("label_map.txt")));
        assertEquals(List.of("left_0000.mp4 0", "left_0001.avi 0", "right_0000.mp4 1", "right_0001.mp4 1"),
                Files.readAllLines(out.resolve("train_list_videos.txt")));
        assertEquals(List.of(), Files.readAllLines(out.resolve("val_list_videos.txt")));
    }

    @Test
    void badFormatIsAOneLineError() {
        CliRun r = CliRun.of("build-file-list", dir.toString(), dir.toString(),
                "--format", "json");
        assertEquals(2, r.code());
        assertEquals("error: --format must be rawframes or videos, got json", r.err().strip());
    }
}
