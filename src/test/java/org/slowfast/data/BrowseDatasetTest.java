package org.slowfast.data;

import org.slowfast.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code slowfast browse-dataset} on generated rawframes. */
class BrowseDatasetTest {
    @TempDir Path root;



    @Test
    void jsonAndFramesAndContactSheet() throws Exception {
        TinyData.rawframes(root, new int[] {20, 9}, 4, 12, 8);
        Files.writeString(root.resolve("labels.txt"), "zero\none\ntwo\nthree\n");
        Path cfg = TinyData.config(root, TinyData.TEST_PIPELINE, "").file();
        Path out = root.resolve("browse");
        CliRun r = CliRun.of("browse-dataset", cfg.toString(), "--split", "test", "--index", "0", "--json", "--out",
                out.toString(), "--label-map", root.resolve("labels.txt").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count());
        JsonNode j = new ObjectMapper().readTree(r.out());
        // N = 20, L = 8, 2 test clips: offsets 3 and 9, start_index 1
        int[] inds = {4, 6, 8, 10, 10, 12, 14, 16};
        assertArrayEquals(inds, new ObjectMapper().convertValue(j.get("frame_inds"), int[].class));
        assertEquals(0, j.get("label").asInt());
        assertEquals("zero", j.get("label_name").asText());
        assertEquals(20, j.get("total_frames").asInt());
        assertArrayEquals(new long[] {6, 3, 4, 8, 8}, new ObjectMapper().convertValue(j.get("imgs_shape"), long[].class));
        List<Path> frames;
        try (Stream<Path> files = Files.list(out)) {
            frames = files.filter(p -> !p.getFileName().toString().startsWith("contact")).sorted().toList();
        }
        assertEquals(8, frames.size());
        for (int i = 0; i < 8; i++) {
            Frame f = Images.read(frames.get(i));
            assertEquals(inds[i], f.rgb()[0], frames.get(i).toString());
            assertEquals(12, f.width());
        }
        BufferedImage sheet = ImageIO.read(out.resolve("contact_sheet.png").toFile());
        // 6 views (3 crops x 2 clips) of 4 frames of 8x8; view 1 = crop 0 (x 0), clip 1 (first frame 10)
        assertEquals(32, sheet.getWidth());
        assertEquals(48, sheet.getHeight());
        assertEquals((4 << 16) | (0 << 8), sheet.getRGB(0, 0) & 0xffff00);
        assertEquals((10 << 16) | (1 << 8), sheet.getRGB(1, 8) & 0xffff00);
        // crop 1 (right: x offset 4), clip 0
        assertEquals((4 << 16) | (4 << 8), sheet.getRGB(0, 16) & 0xffff00);
    }

    @Test
    void badIndexIsAOneLineError() {
        TinyData.rawframes(root, new int[] {5}, 4, 12, 8);
        Path cfg = TinyData.config(root, TinyData.TEST_PIPELINE, "").file();
        CliRun r = CliRun.of("browse-dataset", cfg.toString(), "--split", "val", "--index", "3");
        assertEquals(2, r.code());
        assertEquals("error: " + root.resolve("list.txt") + ": --index 3 is outside [0, 1)", r.err().strip());
        CliRun split = CliRun.of("browse-dataset", cfg.toString(), "--split", "holdout");
        assertEquals(2, split.code());
        assertTrue(split.err().contains("unknown split 'holdout'"), split.err());
    }
}
