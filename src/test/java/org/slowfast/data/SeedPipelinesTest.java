package org.slowfast.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.config.DatasetConfig;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.video.IndexedClip;
import org.slowfast.data.video.VideoWriter;

/**
 * Every seed config's train, val and test pipelines run on generated clips (JPEG rawframes named by the config's
 * filename_tmpl, or H.264 videos) and give the per-sample shapes of reference §3.5. K400 test runs with 1 of its 10
 * clips to keep the test light (3 crops: 3×3×32×256×256).
 */
class SeedPipelinesTest {
    static final int FRAMES = 70;

    @TempDir Path root;

    @ParameterizedTest
    @MethodSource("org.slowfast.config.SeedConfigsTest#seeds")
    void seedPipelinesRunOnGeneratedClips(String name) throws IOException {
        Path file = Path.of("configs/recognition/slowfast/" + name + ".yaml");
        DatasetConfig train = LoadedConfig.load(file, List.of()).config().data().train();
        boolean video = "VideoDataset".equals(train.type());
        Files.writeString(root.resolve("list.txt"), video ? "a.mp4 3\n" : "a " + FRAMES + " 3\n");
        if (video) {
            IndexedClip.write(root.resolve("a.mp4"), 48, 32, FRAMES, VideoWriter.Codec.H264, 25);
        } else {
            Files.createDirectories(root.resolve("a"));
            for (int i = 1; i <= FRAMES; i++) {
                Path frame = root.resolve("a").resolve(PythonFormat.format(train.filenameTmpl(), i));
                ImageIO.write(Images.toImage(TinyData.frame(i, 0, 32, 24)), "jpg", frame.toFile());
            }
        }
        boolean sthv1 = name.contains("sthv1");
        List<String> options = new ArrayList<>();
        for (String split : List.of("train", "val", "test")) {
            options.add("data." + split + ".ann_file=" + root.resolve("list.txt"));
            options.add("data." + split + ".data_prefix=" + root);
        }
        if (!sthv1) {
            options.add("data.test.pipeline." + (video ? 1 : 0) + ".num_clips=1");
        }
        LoadedConfig cfg = LoadedConfig.load(file, options);
        int t = sthv1 ? 64 : 32;
        long[][] expected = {
            {1, 3, t, 224, 224},
            sthv1 ? new long[] {1, 3, 64, 256, 256} : new long[] {1, 3, 32, 224, 224},
            sthv1 ? new long[] {1, 3, 64, 256, 256} : new long[] {3, 3, 32, 256, 256}};
        String[] splits = {"train", "val", "test"};
        for (int s = 0; s < 3; s++) {
            ClipDataset ds = ClipDataset.build(cfg, splits[s]);
            Sample sample = ds.sample(0, 1, 0);
            assertArrayEquals(expected[s], sample.inputShape, splits[s]);
            assertEquals(3, sample.label);
            assertEquals(sample.outputLength(), sample.out.length);
        }
    }
}
