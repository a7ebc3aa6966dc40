package org.slowfast.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;
import org.slowfast.cli.CliRun;
import org.slowfast.data.video.VideoWriter;
import org.slowfast.eval.ResultsFile;

/**
 * spark-test and spark-extract end to end on local[2], with the tiny model's checkpoint on the six rawframe clips of
 * core's test fixture: scores equal {@code test --out result.pkl} and PyTorch's
 * ({@code eval/e2e/expected.json}), metrics equal test's, features equal PyTorch's ({@code eval/e2e/features.json});
 * a broken video is a row error; the save modes; config and checkpoint errors before Spark starts.
 */
class SparkJobTest {
    static final String CONFIG = "src/test/resources/eval/e2e.yaml";
    static final String CHECKPOINT = "src/test/resources/model/tiny_state.pth";
    static final String ANNOTATIONS = "src/test/resources/eval/e2e/ann.txt";
    static final String[] LOCAL = {"--master", "local[2]"};
    static JsonNode expected;
    static JsonNode features;

    @TempDir Path dir;

    /** One local[2] session for the class: the jobs use the running session (and leave it running), as in an app. */
    static SparkSession session;

    @BeforeAll
    static void startSpark() {
        SparkJob.quietSpark();
        session = SparkSession.builder().master("local[2]").appName("SparkJobTest")
                .config("spark.ui.enabled", "false").getOrCreate();
    }

    @AfterAll
    static void stopSpark() {
        session.stop();
    }

    @BeforeAll
    static void loadExpected() throws Exception {
        expected = new ObjectMapper().readTree(Path.of("src/test/resources/eval/e2e/expected.json").toFile());
        features = new ObjectMapper().readTree(Path.of("src/test/resources/eval/e2e/features.json").toFile());
    }

    static CliRun spark(String... args) {
        String[] all = java.util.Arrays.copyOf(args, args.length + LOCAL.length);
        System.arraycopy(LOCAL, 0, all, args.length, LOCAL.length);
        return CliRun.of(SparkMain::commandLine, all);
    }

    /** The annotation file's order: video name → index. */
    static Map<String, Integer> annotationOrder() throws Exception {
        Map<String, Integer> order = new HashMap<>();
        List<String> lines = Files.readAllLines(Path.of(ANNOTATIONS));
        for (int i = 0; i < lines.size(); i++) {
            order.put(lines.get(i).split(" ")[0], i);
        }
        return order;
    }

    @Test
    void scoresAndMetricsEqualTestsWithOneLogLinePerPartition() throws Exception {
        Path pkl = dir.resolve("result.pkl");
        CliRun test = CliRun.of("test", CONFIG, CHECKPOINT, "--out", pkl.toString(), "--eval", "top_k_accuracy",
                "mean_class_accuracy");
        assertEquals(0, test.code(), test.err());
        double[][] want = ResultsFile.read(pkl);

        ListAppender<ILoggingEvent> log = new ListAppender<>();
        log.start();
        Logger progress = (Logger) LoggerFactory.getLogger(PartitionProgress.class);
        progress.addAppender(log);
        Path out = dir.resolve("scores.parquet");
        CliRun r;
        try {
            r = spark("spark-test", CONFIG, CHECKPOINT, "--input", ANNOTATIONS, "--output", out.toString(), "--eval",
                    "top_k_accuracy", "mean_class_accuracy");
        } finally {
            progress.detachAppender(log);
        }
        assertEquals(0, r.code(), r.err());

        List<Group> rows = ParquetRows.read(out);
        assertEquals(6, rows.size());
        Map<String, Integer> order = annotationOrder();
        boolean[] seen = new boolean[6];
        for (Group row : rows) {
            int i = order.get(row.getString("path", 0));
            seen[i] = true;
            String[] line = Files.readAllLines(Path.of(ANNOTATIONS)).get(i).split(" ");
            assertEquals(Integer.parseInt(line[line.length - 1]), row.getInteger("label", 0));
            float[] scores = ParquetRows.floats(row, "scores");
            assertEquals(5, scores.length);
            int best = 0;
            for (int c = 0; c < 5; c++) {
                assertEquals(want[i][c], scores[c], 1e-5, "video " + i + " class " + c + " against test");
                assertEquals(expected.get("prob").get(i).get(c).asDouble(), scores[c], 1e-5, "against PyTorch");
                best = want[i][c] > want[i][best] ? c : best;
            }
            assertEquals(best, row.getInteger("pred_label", 0));
            assertTrue(ParquetRows.isNull(row, "error"));
        }
        assertArrayEquals(new boolean[] {true, true, true, true, true, true}, seen);

        String nl = System.lineSeparator();
        String metrics = test.out().substring(test.out().indexOf(nl + "Evaluating"));
        assertTrue(r.out().endsWith(metrics), r.out() + "\n---\n" + metrics);
        assertTrue(r.out().startsWith("spark-test: wrote 6 rows to " + out + " in "), r.out());
        assertTrue(r.out().contains(": 6 videos done, 0 failed" + nl), r.out());
        List<String> lines = log.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
        assertEquals(2, lines.size(), lines.toString()); // local[2]: the annotation file in two partitions
        assertTrue(lines.stream().allMatch(l -> l.matches("spark-test: partition [01] done: 3 videos in .*")),
                lines.toString());
    }

    @Test
    void perViewFeaturesEqualPyTorchs() throws Exception {
        Path out = dir.resolve("features.parquet");
        CliRun r = spark("spark-extract", CONFIG, CHECKPOINT, "--input", ANNOTATIONS, "--output", out.toString(),
                "--partitions", "3");
        assertEquals(0, r.code(), r.err());
        List<Group> rows = ParquetRows.read(out);
        assertEquals(6, rows.size());
        for (Group row : rows) {
            String video = row.getString("path", 0);
            float[][] views = ParquetRows.floatRows(row, "features");
            assertEquals(6, views.length);
            for (int v = 0; v < 6; v++) {
                assertEquals(320, views[v].length);
                for (int c = 0; c < 320; c++) {
                    double want = features.get(video).get(v).get(c).asDouble();
                    assertEquals(want, views[v][c], 1e-4 + 1e-4 * Math.abs(want), video + " [" + v + ", " + c + "]");
                }
            }
        }
    }

    /**
     * A CSV table of videos, one of them broken and one missing: their rows carry the error and the others their
     * averaged features; --mode error refuses an existing output before Spark starts, --mode overwrite replaces it.
     */
    @Test
    void brokenVideosAreRowErrorsAndSaveModesActAsSparks() throws Exception {
        Path videos = dir.resolve("videos");
        for (String name : List.of("a.mp4", "b.mp4")) {
            Files.createDirectories(videos);
            try (VideoWriter writer = new VideoWriter(videos.resolve(name), 40, 32, 25, VideoWriter.Codec.H264, 5)) {
                for (int t = 0; t < 12; t++) {
                    byte[] rgb = new byte[40 * 32 * 3];
                    java.util.Arrays.fill(rgb, (byte) (20 * t + name.charAt(0)));
                    writer.write(rgb);
                }
            }
        }
        Files.write(videos.resolve("broken.mp4"), new byte[] {0, 0, 0, 1, 2, 3});
        Path csv = Files.writeString(dir.resolve("videos.csv"), "id,path\n1," + videos.resolve("a.mp4") + "\n2,"
                + videos.resolve("broken.mp4") + "\n3," + videos.resolve("missing.mp4") + "\n4,"
                + videos.resolve("b.mp4") + "\n");
        Path config = Files.writeString(dir.resolve("video.yaml"), """
                _base_: [%s]
                data:
                  test:
                    type: VideoDataset
                    pipeline:
                      - {type: DecordInit}
                      - {type: SampleFrames, clip_len: 8, frame_interval: 1, num_clips: 2, test_mode: true}
                      - {type: DecordDecode}
                      - {type: CenterCrop, crop_size: 32}
                      - {type: Normalize, mean: [123.675, 116.28, 103.53], std: [58.395, 57.12, 57.375], to_bgr: false}
                      - {type: FormatShape, input_format: NCTHW}
                      - {type: Collect, keys: [imgs, label], meta_keys: []}
                      - {type: ToTensor, keys: [imgs]}
                """.formatted(Path.of(CONFIG).toAbsolutePath()));
        Path out = Files.createDirectories(dir.resolve("out.parquet"));
        Files.writeString(out.resolve("stale.txt"), "from an earlier run");

        String[] job = {"spark-extract", config.toString(), CHECKPOINT, "--input", csv.toString(), "--output",
            out.toString(), "--average-views"};
        CliRun refused = CliRun.of(SparkMain::commandLine, job);
        assertEquals(2, refused.code());
        assertEquals("error: " + out + ": already exists (--mode overwrite replaces it)", refused.err().strip());

        String[] overwrite = java.util.Arrays.copyOf(job, job.length + 2);
        overwrite[job.length] = "--mode";
        overwrite[job.length + 1] = "overwrite";
        CliRun r = spark(overwrite);
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(out.resolve("stale.txt")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
        assertTrue(r.out().contains(": 2 videos done, 2 failed"), r.out());
        List<Group> rows = ParquetRows.read(out);
        assertEquals(4, rows.size());
        Map<Long, Group> byId = new HashMap<>();
        rows.forEach(g -> byId.put((long) g.getInteger("id", 0), g));
        for (long id : new long[] {1, 4}) {
            assertTrue(ParquetRows.isNull(byId.get(id), "error"), () -> byId.get(id).toString());
            assertEquals(320, ParquetRows.floats(byId.get(id), "features").length);
        }
        assertTrue(byId.get(2L).getString("error", 0).startsWith(videos.resolve("broken.mp4") + ": "),
                byId.get(2L).toString());
        assertTrue(byId.get(3L).getString("error", 0).startsWith(videos.resolve("missing.mp4") + ": "),
                byId.get(3L).toString());
        assertTrue(ParquetRows.isNull(byId.get(2L), "features"));
        assertEquals(1, byId.get(3L).getString("error", 0).lines().count());
    }

    /** A directory is searched recursively for video files, a glob matches files; both give sorted absolute paths. */
    @Test
    void directoriesAndGlobsListTheirVideos() throws Exception {
        Path videos = Files.createDirectories(dir.resolve("lake/class_a"));
        Files.createDirectories(dir.resolve("lake/class_b"));
        for (String name : List.of("class_a/x.mp4", "class_b/y.MKV", "class_b/z.mp4", "class_b/notes.txt")) {
            Files.writeString(dir.resolve("lake").resolve(name), "");
        }
        org.slowfast.config.LoadedConfig cfg = org.slowfast.config.LoadedConfig.load(
                Files.writeString(dir.resolve("video.yaml"), "_base_: [" + Path.of(CONFIG).toAbsolutePath()
                        + "]\ndata:\n  test:\n    type: VideoDataset\n"), List.of());
        VideoTable all = VideoTable.read(session, dir.resolve("lake").toString(), cfg, "path", "label", 0);
        Path lake = videos.getParent();
        assertEquals(List.of(lake.resolve("class_a/x.mp4").toString(), lake.resolve("class_b/y.MKV").toString(),
                lake.resolve("class_b/z.mp4").toString()), paths(all));
        assertFalse(all.labels());
        VideoTable glob = VideoTable.read(session, lake + "/*/[xz].mp4", cfg, "path", "label", 0);
        assertEquals(List.of(lake.resolve("class_a/x.mp4").toString(), lake.resolve("class_b/z.mp4").toString()),
                paths(glob));
        org.slowfast.SlowfastException none = org.junit.jupiter.api.Assertions.assertThrows(
                org.slowfast.SlowfastException.class,
                () -> VideoTable.read(session, lake + "/*.avi", cfg, "path", "label", 0));
        assertEquals(lake + "/*.avi: no videos (the glob matches no file)", none.getMessage());
    }

    private static List<String> paths(VideoTable table) {
        return table.rows().collectAsList().stream().map(r -> r.getString(0)).toList();
    }

    @Test
    void badConfigAndMissingCheckpointFailBeforeSparkStarts() throws Exception {
        Path out = dir.resolve("never.parquet");
        CliRun missing = CliRun.of(SparkMain::commandLine, "spark-test", CONFIG, "no/such.pth", "--input",
                ANNOTATIONS, "--output", out.toString());
        assertEquals(2, missing.code());
        assertEquals("error: no/such.pth: no such checkpoint file", missing.err().strip());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "_base_: [" + Path.of(CONFIG).toAbsolutePath()
                + "]\nmodel:\n  cls_head:\n    num_classes: zero\n");
        CliRun config = CliRun.of(SparkMain::commandLine, "spark-test", bad.toString(), CHECKPOINT, "--input",
                ANNOTATIONS, "--output", out.toString());
        assertEquals(2, config.code());
        assertTrue(config.err().startsWith("error: " + bad), config.err());
        assertEquals(1, config.err().strip().lines().count(), config.err());
        assertFalse(Files.exists(out));
    }
}
