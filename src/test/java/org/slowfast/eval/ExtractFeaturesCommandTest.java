package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.CliRun;

/**
 * {@code slowfast extract-features} on the six clips of the {@code test} fixture: the .npy files, read by hand as
 * the NPY 1.0 format defines them, hold the per-view features PyTorch computed
 * ({@code tools/fixtures/make_feature_fixtures.py} → {@code eval/e2e/features.json}).
 */
class ExtractFeaturesCommandTest {
    static final List<String> VIDEOS = List.of("v0", "v1", "v2", "v3", "v4", "v5");
    static JsonNode expected;

    @TempDir Path dir;

    @BeforeAll
    static void loadExpected() throws Exception {
        expected = new ObjectMapper().readTree(Path.of("src/test/resources/eval/e2e/features.json").toFile());
    }

    /** An .npy file by the format spec: magic, version 1.0, uint16 LE header length, the header dict, the data. */
    record Npy(String header, float[] data) {
        static Npy read(Path file) throws Exception {
            byte[] bytes = Files.readAllBytes(file);
            assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0},
                    java.util.Arrays.copyOf(bytes, 8));
            int headerLength = (bytes[8] & 0xff) | (bytes[9] & 0xff) << 8;
            assertEquals(0, (10 + headerLength) % 64, "data aligned to 64");
            String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
            assertTrue(header.endsWith("\n"), header);
            ByteBuffer data = ByteBuffer.wrap(bytes, 10 + headerLength, bytes.length - 10 - headerLength)
                    .order(ByteOrder.LITTLE_ENDIAN);
            float[] values = new float[data.remaining() / 4];
            data.asFloatBuffer().get(values);
            return new Npy(header.strip(), values);
        }
    }

    private static void assertClose(double want, double got, String what) {
        assertEquals(want, got, 1e-4 + 1e-4 * Math.abs(want), what);
    }

    @Test
    void perViewFeaturesMatchPyTorchAndTheIndexListsEveryVideo() throws Exception {
        Path out = dir.resolve("features");
        CliRun r = CliRun.of("extract-features", TestCommandTest.CONFIG, TestCommandTest.CHECKPOINT, "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("wrote the features of 6 videos (6 views x 320) to " + out + System.lineSeparator(), r.out());
        for (String video : VIDEOS) {
            Npy npy = Npy.read(out.resolve(video + ".npy"));
            assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (6, 320), }", npy.header());
            assertEquals(6 * 320, npy.data().length);
            JsonNode rows = expected.get(video);
            for (int v = 0; v < 6; v++) {
                for (int c = 0; c < 320; c++) {
                    assertClose(rows.get(v).get(c).asDouble(), npy.data()[v * 320 + c],
                            video + " [" + v + ", " + c + "]");
                }
            }
        }
        JsonNode index = new ObjectMapper().readTree(out.resolve("index.json").toFile());
        assertEquals("[6,320]", index.get("shape").toString());
        int[] labels = {3, 0, 1, 3, 4, 2};
        for (int i = 0; i < 6; i++) {
            JsonNode v = index.get("videos").get(i);
            assertEquals(VIDEOS.get(i), v.get("video").asText());
            assertEquals(labels[i], v.get("label").asInt());
            assertEquals(VIDEOS.get(i) + ".npy", v.get("file").asText());
        }
        numpyReads(out.resolve("v2.npy"), "(6, 320)");
    }

    @Test
    void averageViewsGivesMmaction2sOneVectorPerVideo() throws Exception {
        Path out = dir.resolve("mean");
        CliRun r = CliRun.of("extract-features", TestCommandTest.CONFIG, TestCommandTest.CHECKPOINT, "--out",
                out.toString(), "--average-views", "--cfg-options", "data.test_dataloader.videos_per_gpu=5");
        assertEquals(0, r.code(), r.err());
        Npy npy = Npy.read(out.resolve("v1.npy"));
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (320,), }", npy.header());
        JsonNode rows = expected.get("v1");
        for (int c = 0; c < 320; c++) {
            double mean = 0;
            for (int v = 0; v < 6; v++) {
                mean += rows.get(v).get(c).asDouble() / 6;
            }
            assertClose(mean, npy.data()[c], "v1 [" + c + "]");
        }
        assertEquals("[320]", new ObjectMapper().readTree(out.resolve("index.json").toFile()).get("shape").toString());
        numpyReads(out.resolve("v1.npy"), "(320,)");
    }

    /** --video-list/--video-root replace data.test's list, as clip_feature_extraction.py's fake annotation file. */
    @Test
    void videoListWithRoot() throws Exception {
        Path root = dir.resolve("clips");
        for (String name : List.of("a.mp4", "sub/b.mp4")) {
            try (org.slowfast.data.video.VideoWriter writer = new org.slowfast.data.video.VideoWriter(
                    root.resolve(name), 40, 32, 25, org.slowfast.data.video.VideoWriter.Codec.H264, 5)) {
                for (int t = 0; t < 12; t++) {
                    byte[] rgb = new byte[40 * 32 * 3];
                    java.util.Arrays.fill(rgb, (byte) (20 * t));
                    writer.write(rgb);
                }
            }
        }
        Path list = Files.writeString(dir.resolve("list.txt"), "a.mp4\nsub/b.mp4\n");
        Path config = Files.writeString(dir.resolve("video.yaml"), """
                _base_: [%s]
                data:
                  test:
                    type: VideoDataset
                    pipeline:
                      - {type: DecordInit}
                      - {type: SampleFrames, clip_len: 8, frame_interval: 1, num_clips: 1, test_mode: true}
                      - {type: DecordDecode}
                      - {type: CenterCrop, crop_size: 32}
                      - {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], to_bgr: false}
                      - {type: FormatShape, input_format: NCTHW}
                      - {type: Collect, keys: [imgs, label], meta_keys: []}
                      - {type: ToTensor, keys: [imgs]}
                """.formatted(Path.of(TestCommandTest.CONFIG).toAbsolutePath()));
        Path out = dir.resolve("listed");
        CliRun r = CliRun.of("extract-features", config.toString(), TestCommandTest.CHECKPOINT, "--out",
                out.toString(), "--video-list", list.toString(), "--video-root", root.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals("{'descr': '<f4', 'fortran_order': False, 'shape': (1, 320), }",
                Npy.read(out.resolve("a.npy")).header());
        assertEquals(320, Npy.read(out.resolve("sub/b.npy")).data().length);
        JsonNode videos = new ObjectMapper().readTree(out.resolve("index.json").toFile()).get("videos");
        assertEquals("sub/b.mp4", videos.get(1).get("video").asText());
        assertEquals("sub/b.npy", videos.get(1).get("file").asText());
        assertEquals(0, videos.get(1).get("label").asInt());
    }

    @Test
    void videoListNeedsAVideoDatasetAndNamesTheList() throws Exception {
        Path list = Files.writeString(dir.resolve("list.txt"), "a.mp4\n");
        CliRun r = CliRun.of("extract-features", TestCommandTest.CONFIG, TestCommandTest.CHECKPOINT, "--out",
                dir.resolve("out").toString(), "--video-list", list.toString(), "--video-root", dir.toString());
        assertEquals(2, r.code(), r.err());
        assertEquals("error: " + list + ": --video-list lists video files, but data.test is a RawframeDataset; use a "
                + "config whose data.test is a VideoDataset", r.err().strip());
    }

    /** When /usr/bin/python3 has numpy, numpy.load reads the file as float32 of the given shape. */
    private static void numpyReads(Path npy, String shape) throws Exception {
        Path python = Path.of("/usr/bin/python3");
        Assumptions.assumeTrue(Files.isExecutable(python), "no /usr/bin/python3");
        Process p = new ProcessBuilder(python.toString(), "-c",
                "import sys, numpy; a = numpy.load(sys.argv[1]); print(a.dtype, a.shape)", npy.toString())
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Assumptions.assumeFalse(output.contains("No module named 'numpy'"), "numpy is not installed");
        assertEquals("float32 " + shape, output);
    }
}
