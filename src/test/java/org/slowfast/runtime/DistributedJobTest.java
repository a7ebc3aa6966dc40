package org.slowfast.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.CliRun;
import org.slowfast.data.video.SyntheticDataset;
import org.slowfast.eval.ResultsFile;
import org.slowfast.io.PthReader;

/**
 * Multi-process train and test as CI can run them: two JVMs on localhost with torchrun's variables
 * ({@code --launcher pytorch}), against one process.
 */
class DistributedJobTest {
    static final String CONFIG = "configs/recognition/slowfast/slowfast_tiny_synthetic.yaml";
    static final String E2E_CONFIG = "src/test/resources/eval/e2e.yaml";
    static final String E2E_CHECKPOINT = "src/test/resources/model/tiny_state.pth";

    @TempDir static Path data;
    @TempDir Path dir;

    /** 4 classes x 8 train videos (4 steps of 8) and 2 val videos each. */
    @BeforeAll
    static void makeData() {
        SyntheticDataset.generate(data, new SyntheticDataset.Options(4, 10, 2, 32, 32, 32,
                SyntheticDataset.Format.RAWFRAMES, 0));
    }

    /** Train options on the generated data: BN frozen (norm_eval), no dropout, so only the batch split differs. */
    static String[] trainArgs(String launcher, Path work, int videosPerGpu, int epochs, String... options) {
        List<String> args = new ArrayList<>(List.of("train", CONFIG, "--launcher", launcher, "--work-dir",
                work.toString(), "--seed", "0", "--deterministic", "--validate"));
        args.addAll(List.of(options));
        args.addAll(List.of("--cfg-options",
                "data.train.ann_file=" + data.resolve("train_list_rawframes.txt"),
                "data.train.data_prefix=" + data.resolve("rawframes"),
                "data.val.ann_file=" + data.resolve("val_list_rawframes.txt"),
                "data.val.data_prefix=" + data.resolve("rawframes"),
                "data.videos_per_gpu=" + videosPerGpu, "data.val_dataloader.videos_per_gpu=3", "total_epochs=" + epochs,
                "checkpoint_config.interval=1", "log_config.interval=1", "model.cls_head.dropout_ratio=0",
                "model.backbone.slow_pathway.norm_eval=true", "model.backbone.fast_pathway.norm_eval=true"));
        return args.toArray(String[]::new);
    }

    @Test
    void twoProcessesOfFourTrainAsOneProcessOfEight() throws Exception {
        Path one = dir.resolve("one");
        CliRun single = CliRun.of(trainArgs("none", one, 8, 1));
        assertEquals(0, single.code(), single.err());

        Path two = dir.resolve("two");
        try (LocalJob job = new LocalJob(dir)) {
            int[] codes = job.start(2, LocalJob.freePort(), trainArgs("pytorch", two, 4, 1)).await(300);
            assertArrayEquals(new int[] {0, 0}, codes, () -> job.output("rank0") + job.output("rank1"));
        }
        assertSameWeights(one.resolve("epoch_1.pth"), two.resolve("epoch_1.pth"), 1e-5);
        // rank 0 alone wrote the logs; its logged losses are the means over ranks, i.e. the 8-clip batch losses
        assertEquals(1, logs(two, ".log").size());
        List<JsonNode> l1 = trainLines(one);
        List<JsonNode> l2 = trainLines(two);
        assertEquals(4, l1.size());
        assertEquals(l1.size(), l2.size());
        for (int i = 0; i < l1.size(); i++) {
            assertEquals(l1.get(i).get("loss").asDouble(), l2.get(i).get("loss").asDouble(), 2e-5);
            assertEquals(l1.get(i).get("top1_acc").asDouble(), l2.get(i).get("top1_acc").asDouble(), 2e-5);
        }
        // validation over both shards (8 videos, 4 per rank), gathered: the same accuracy as one process
        JsonNode v1 = valLine(one);
        JsonNode v2 = valLine(two);
        assertEquals(v1.get("top1_acc").asDouble(), v2.get("top1_acc").asDouble(), 0);
        assertEquals(v1.get("mean_class_accuracy").asDouble(), v2.get("mean_class_accuracy").asDouble(), 0);

        // --auto-resume: every rank loads latest.pth and the run continues as the single process does
        assertEquals(0, CliRun.of(trainArgs("none", one, 8, 2, "--auto-resume")).code());
        try (LocalJob job = new LocalJob(dir)) {
            int[] codes = job.start(2, LocalJob.freePort(), trainArgs("pytorch", two, 4, 2, "--auto-resume")).await(300);
            assertArrayEquals(new int[] {0, 0}, codes, () -> job.output("rank0") + job.output("rank1"));
        }
        // 8 steps in all: the float rounding of the two summation orders has grown to about 1e-5
        assertSameWeights(one.resolve("epoch_2.pth"), two.resolve("epoch_2.pth"), 1e-4);
    }

    /** Two checkpoints hold the same state dict within {@code tolerance}. */
    private static void assertSameWeights(Path one, Path two, double tolerance) {
        var a = PthReader.read(one).stateDict();
        var b = PthReader.read(two).stateDict();
        assertEquals(a.keySet(), b.keySet());
        double maxDiff = 0;
        for (String k : a.keySet()) {
            float[] x = a.get(k).toFloats();
            float[] y = b.get(k).toFloats();
            for (int i = 0; i < x.length; i++) {
                maxDiff = Math.max(maxDiff, Math.abs(x[i] - y[i]));
            }
        }
        assertTrue(maxDiff < tolerance, "max weight difference " + maxDiff + " between " + one + " and " + two);
    }

    @Test
    void twoProcessSlurmTestWritesTheSingleProcessResults() throws Exception {
        Path single = dir.resolve("single.json");
        CliRun r = CliRun.of("test", E2E_CONFIG, E2E_CHECKPOINT, "--out", single.toString());
        assertEquals(0, r.code(), r.err());
        // as srun starts them: SLURM_* variables, the master is the first host of the node list
        Path two = dir.resolve("two.json");
        int port = LocalJob.freePort();
        try (LocalJob job = new LocalJob(dir)) {
            for (int rank = 0; rank < 2; rank++) {
                Map<String, String> slurm = Map.of("SLURM_PROCID", "" + rank, "SLURM_NTASKS", "2", "SLURM_LOCALID",
                        "" + rank, "SLURM_NODELIST", "localhost,elsewhere[1-2]", "SLURM_TASKS_PER_NODE", "2",
                        "MASTER_PORT", "" + port);
                job.start("rank" + rank, slurm, "test", E2E_CONFIG, E2E_CHECKPOINT, "--out", two.toString(), "--eval",
                        "top_k_accuracy", "--launcher", "slurm");
            }
            int[] codes = job.await(300);
            assertArrayEquals(new int[] {0, 0}, codes, () -> job.output("rank0") + job.output("rank1"));
            assertTrue(job.output("rank0").contains("top1_acc: "), job.output("rank0"));
            assertTrue(!Files.readString(job.out("rank1")).contains("top1_acc"), job.output("rank1"));
        }
        double[][] a = ResultsFile.read(single);
        double[][] b = ResultsFile.read(two);
        JsonNode prob = new ObjectMapper().readTree(Path.of("src/test/resources/eval/e2e/expected.json").toFile())
                .get("prob");
        assertEquals(prob.size(), b.length);
        for (int i = 0; i < a.length; i++) {
            for (int c = 0; c < a[i].length; c++) {
                assertEquals(a[i][c], b[i][c], 1e-5);
                assertEquals(prob.get(i).get(c).asDouble(), b[i][c], 1e-5); // PyTorch's scores
            }
        }
    }

    @Test
    void killingOneRankStopsTheOtherNamingIt() throws Exception {
        Path work = dir.resolve("killed");
        try (LocalJob job = new LocalJob(dir)) {
            job.start(2, LocalJob.freePort(), trainArgs("pytorch", work, 2, 100));
            awaitTraining(job, work);
            job.process(1).destroyForcibly();
            long killed = System.nanoTime();
            assertTrue(job.process(0).waitFor(90, TimeUnit.SECONDS), "rank 0 still runs 90 s after rank 1 died");
            double seconds = (System.nanoTime() - killed) / 1e9;
            assertNotEquals(0, job.process(0).exitValue());
            String err = Files.readString(job.err("rank0"));
            assertTrue(err.contains("error: rank 0/2: lost rank 1 during an all-reduce"), err);
            assertTrue(seconds < 90, "took " + seconds + " s");
        }
    }

    @Test
    void hungRankIsReportedAfterTheTimeout() throws Exception {
        Path work = dir.resolve("hung");
        List<String> args = new ArrayList<>(List.of(trainArgs("pytorch", work, 2, 100)));
        args.add("dist_params.timeout=20"); // one more --cfg-options value (start-up needs a few seconds)
        try (LocalJob job = new LocalJob(dir)) {
            job.start(2, LocalJob.freePort(), args.toArray(String[]::new));
            awaitTraining(job, work);
            Process stop = new ProcessBuilder("kill", "-STOP", "" + job.process(1).pid()).start();
            assertEquals(0, stop.waitFor());
            long stopped = System.nanoTime();
            assertTrue(job.process(0).waitFor(60, TimeUnit.SECONDS), "rank 0 still waits 60 s after rank 1 hung");
            double seconds = (System.nanoTime() - stopped) / 1e9;
            assertNotEquals(0, job.process(0).exitValue());
            String err = Files.readString(job.err("rank0"));
            assertTrue(err.contains("error: rank 0/2: lost rank 1 during an all-reduce: no answer within 20 s"), err);
            assertTrue(seconds >= 19 && seconds < 60, "took " + seconds + " s");
        }
    }

    /** Waits until rank 0 has logged a training iteration. */
    private static void awaitTraining(LocalJob job, Path work) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
        while (logs(work, ".log.json").isEmpty() || trainLines(work).isEmpty()) {
            assertTrue(System.nanoTime() < deadline && job.process(0).isAlive(), () -> job.output("rank0"));
            Thread.sleep(200);
        }
    }

    @Test
    void busyMasterPortIsOneLine() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            try (LocalJob job = new LocalJob(dir)) {
                job.start(0, 2, taken.getLocalPort(), "test", E2E_CONFIG, E2E_CHECKPOINT, "--out",
                        dir.resolve("r.json").toString(), "--launcher", "pytorch");
                assertArrayEquals(new int[] {2}, job.await(120));
                String err = Files.readString(job.err("rank0")).strip();
                assertEquals("error: rank 0: MASTER_PORT " + taken.getLocalPort() + " is busy on this machine (another "
                        + "job, or a previous run's socket not yet released); set another MASTER_PORT",
                        err.lines().filter(l -> l.startsWith("error:")).findFirst().orElse(err));
            }
        }
    }

    private static List<Path> logs(Path work, String suffix) throws Exception {
        if (!Files.isDirectory(work)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(work)) {
            return files.filter(p -> p.getFileName().toString().endsWith(suffix)
                    && (suffix.equals(".log.json") || !p.getFileName().toString().endsWith(".log.json"))).toList();
        }
    }

    private static List<JsonNode> lines(Path work) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(logs(work, ".log.json").get(0))) {
            if (!line.isBlank()) {
                out.add(json.readTree(line));
            }
        }
        return out;
    }

    private static List<JsonNode> trainLines(Path work) throws Exception {
        return lines(work).stream().filter(n -> "train".equals(n.path("mode").asText())).toList();
    }

    private static JsonNode valLine(Path work) throws Exception {
        return lines(work).stream().filter(n -> "val".equals(n.path("mode").asText())).findFirst().orElseThrow();
    }
}
