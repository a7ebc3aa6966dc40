package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.data.video.IndexedClip;
import org.slowfast.data.video.VideoWriter;
import org.slowfast.io.Checkpoint;
import org.slowfast.io.PthReader;
import org.slowfast.io.PthWriter;
import org.slowfast.io.Tensor;

/**
 * Logs like mmcv's (issue 11, items 6-9): warnings of any class reach the work dir's {@code .log} as
 * {@code - mmaction - WARNING -} lines, a mismatched {@code --load-from} gives one summary warning, the dumped config
 * is the effective one, progress shows without a terminal, and libtorch's deprecation warning stays out of stderr.
 */
class MmcvLogTest {
    static final String WARNING = "^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} - mmaction - WARNING - ";
    static final String TEST_CONFIG = FailFastTest.TEST_CONFIG;
    static final String CHECKPOINT = FailFastTest.CHECKPOINT;

    @TempDir static Path shared;
    static Path data;

    @TempDir Path dir;

    @BeforeAll
    static void tinySyntheticData() {
        data = CliRun.tinySyntheticData(shared);
    }

    private static CliRun train(Path work, String... more) {
        List<String> args = new ArrayList<>(List.of("train", TrainCommandTest.CONFIG, "--work-dir", work.toString(),
                "--cfg-options", "synthetic_data.out_dir=" + data,
                "data.train.ann_file=" + data.resolve("train_list_rawframes.txt"),
                "data.train.data_prefix=" + data.resolve("rawframes"), "total_epochs=1", "log_config.interval=1",
                "log_config.hooks=[{type: TextLoggerHook}, {type: TensorboardLoggerHook}]"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    private static Path only(Path work, String suffix) throws IOException {
        try (Stream<Path> files = Files.list(work)) {
            List<Path> found = files.filter(p -> p.toString().endsWith(suffix)).toList();
            assertEquals(1, found.size(), found.toString());
            return found.get(0);
        }
    }

    private static long count(List<String> lines, String regex) {
        return lines.stream().filter(l -> l.matches(regex)).count();
    }

    @Test
    void warningsReachTheLogAndTheDumpedConfigIsTheEffectiveOne() throws IOException {
        Path work = dir.resolve("work");
        // the train list ten times over, and one clip without frames: the loader replaces it (1 of 21 samples)
        List<String> list = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            list.addAll(Files.readAllLines(data.resolve("train_list_rawframes.txt")));
        }
        list.add("gone/clip 8 0");
        Path trainList = Files.write(dir.resolve("train.txt"), list);
        // tiny_state.pth is another tiny SlowFast (fast base 2, 5 classes): some keys match, many do not
        CliRun r = train(work, "data.train.ann_file=" + trainList, "--load-from", CHECKPOINT, "--seed", "7", "--gpus",
                "1");
        assertEquals(0, r.code(), r.err());
        Path textLog = only(work, ".log");
        List<String> log = Files.readAllLines(textLog);
        // before the log existed (device selection), from the trainer, from the checkpoint loader
        assertEquals(1, count(log, WARNING + "no GPU is available to the PyTorch engine; running on the CPU"), log
                .toString());
        assertEquals(1, count(log, WARNING + "log_config.hooks: TensorboardLoggerHook is not supported and is "
                + "ignored \\(TextLoggerHook is\\)"));
        Path gone = data.resolve("rawframes/gone/clip");
        assertTrue(count(log, WARNING + "replacing a sample that failed to load: " + Pattern.quote(gone.toString())
                + ".*") >= 1, log.toString());
        assertEquals(1, count(log, WARNING + "epoch 1: \\d+ of 21 samples failed to load and were replaced"));
        List<String> summary = log.stream().filter(l -> l.matches(WARNING + ".*do not match exactly.*")).toList();
        assertEquals(1, summary.size(), log.toString());
        assertTrue(summary.get(0).contains(CHECKPOINT + ": the model and loaded state dict do not match exactly; "
                + "the "), summary.get(0));
        int at = log.indexOf(summary.get(0));
        assertTrue(log.get(at - 1).endsWith(" - mmaction - INFO - load checkpoint from " + CHECKPOINT),
                "mmcv logs the load before its warning: " + log.get(at - 1));
        assertTrue(log.get(at + 1).startsWith("size mismatch ("), log.get(at + 1));
        assertTrue(log.get(at + 1).endsWith(" more"), "the list is capped: " + log.get(at + 1));

        // tools/train.py sets work_dir, resume_from and seed before dumping; --load-from and --cfg-options too
        String dumped = Files.readString(work.resolve("slowfast_tiny_synthetic.yaml"));
        for (String line : List.of("work_dir: " + work, "load_from: " + CHECKPOINT, "resume_from: null", "seed: 7",
                "total_epochs: 1")) {
            assertTrue(dumped.contains("\n" + line + "\n"), line + " in " + dumped);
        }
        assertTrue(Files.readString(textLog).contains("Config:\n" + dumped), "the logged config is the dump");
        assertEquals(dumped, PthReader.read(work.resolve("epoch_1.pth")).meta().get("config"));

        // --auto-resume finds latest.pth: the dump says so
        r = train(work, "--auto-resume", "--seed", "7");
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.readString(work.resolve("slowfast_tiny_synthetic.yaml"))
                .contains("\nresume_from: " + work.resolve("latest.pth") + "\n"));
    }

    @Test
    void aCheckpointWithNoMatchingKeyIsAnError() {
        Path ckpt = dir.resolve("other.pth");
        LinkedHashMap<String, Tensor> state = new LinkedHashMap<>();
        state.put("encoder.weight", Tensor.ofFloats(new long[] {2}, new float[] {1, 2}));
        PthWriter.write(ckpt, new Checkpoint(Map.of(), state, null));
        Path work = dir.resolve("work");
        String msg = FailFastTest.error(train(work, "--load-from", ckpt.toString()));
        assertEquals("error: " + ckpt + ": no key of the checkpoint matches the model (1 keys, for example "
                + "encoder.weight); is it a checkpoint of another model?", msg);
        assertFalse(Files.exists(work));
    }

    /** A CLI run with System.err captured: the run and the stderr lines. */
    private record Captured(CliRun run, List<String> stderr) {
        static Captured of(String... args) {
            PrintStream stderr = System.err;
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            try {
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                CliRun r = CliRun.of(args);
                return new Captured(r, err.toString(StandardCharsets.UTF_8).lines().toList());
            } finally {
                System.setErr(stderr);
            }
        }

        boolean has(String regex) {
            return stderr.stream().anyMatch(l -> l.matches(regex));
        }
    }

    @Test
    void longLoopsPrintProgressLinesWhenStderrIsNotATerminal() throws Exception {
        Captured test = Captured.of("test", TEST_CONFIG, CHECKPOINT, "--eval", "top_k_accuracy");
        assertEquals(0, test.run().code(), test.run().err());
        // the first batch (the e2e loader batches 4 videos) and the end
        assertTrue(test.has("test: 4/6 videos, [0-9.]+ videos/s, elapsed: \\d+s, ETA: \\d+s"),
                test.stderr().toString());
        assertTrue(test.has("test: 6/6 videos, [0-9.]+ videos/s, elapsed: \\d+s, ETA: 0s"), test.stderr().toString());

        Path src = dir.resolve("videos");
        IndexedClip.write(src.resolve("a/one.mp4"), 32, 24, 4, VideoWriter.Codec.H264, 10);
        IndexedClip.write(src.resolve("a/two.mp4"), 32, 24, 4, VideoWriter.Codec.H264, 10);
        Captured frames = Captured.of("build-rawframes", src.toString(), dir.resolve("frames").toString());
        assertEquals(0, frames.run().code(), frames.run().err());
        assertTrue(frames.has("build-rawframes: 1/2 videos, .*"), frames.stderr().toString());
        assertTrue(frames.has("build-rawframes: 2/2 videos, .*, ETA: 0s"), frames.stderr().toString());
    }

    @Test
    void libtorchDeprecationWarningsAndEscapeCodesStayOutOfStderr() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_threads=1", "-cp",
                System.getProperty("java.class.path"), "org.slowfast.cli.Main", "test", TEST_CONFIG, CHECKPOINT,
                "--eval", "top_k_accuracy").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(5, TimeUnit.MINUTES));
        assertEquals(0, p.exitValue(), err);
        assertFalse(err.contains("AutoNonVariableTypeMode"), err);
        assertFalse(err.contains("\u001b["), err);
        assertTrue(err.contains("test: 6/6 videos"), err);
    }
}
