package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Inputs are checked before anything is written or run (issue 11, items 1-5, 16, 17): each bad input gives one
 * {@code error:} line naming the user's file or key, exit code 2, no stack trace, and leaves files untouched.
 */
class FailFastTest {
    static final String CONFIG = TrainCommandTest.CONFIG;
    static final String TEST_CONFIG = "src/test/resources/eval/e2e.yaml";
    static final String CHECKPOINT = "src/test/resources/model/tiny_state.pth";

    @TempDir static Path shared;
    static Path data;

    @TempDir Path dir;

    @BeforeAll
    static void tinySyntheticData() {
        data = CliRun.tinySyntheticData(shared);
    }

    /** The one error line of a failed run (exit code 2, no stack trace). */
    static String error(CliRun r) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        return r.err().strip();
    }

    /** Train on the shared tiny synthetic data with more options. */
    private CliRun train(Path work, String... more) {
        List<String> args = new ArrayList<>(List.of("train", CONFIG, "--work-dir", work.toString(), "--cfg-options",
                "synthetic_data.out_dir=" + data, "data.train.ann_file=" + data.resolve("train_list_rawframes.txt"),
                "data.train.data_prefix=" + data.resolve("rawframes"),
                "data.val.ann_file=" + data.resolve("val_list_rawframes.txt"),
                "data.val.data_prefix=" + data.resolve("rawframes"), "total_epochs=1"));
        args.addAll(List.of(more));
        return CliRun.of(args.toArray(String[]::new));
    }

    static Map<String, FileTime> modificationTimes(Path root) throws IOException {
        Map<String, FileTime> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : files.toList()) {
                out.put(root.relativize(p).toString(), Files.getLastModifiedTime(p));
            }
        }
        return out;
    }

    @Test
    void mistypedAnnFileLeavesExistingSyntheticDataAlone() throws IOException {
        Map<String, FileTime> before = modificationTimes(data);
        Path typo = data.resolve("train_lst_rawframes.txt");
        CliRun r = train(dir.resolve("work"), "data.train.ann_file=" + typo);
        assertEquals("error: " + typo + ": annotation file not found", error(r));
        assertEquals(before, modificationTimes(data));
        assertFalse(Files.exists(dir.resolve("work")));
    }

    @Test
    void aMissingAnnFileOutsideTheSyntheticFolderGeneratesNothing() {
        Path synthetic = dir.resolve("synthetic");
        Path mine = dir.resolve("mine/train.txt");
        CliRun r = train(dir.resolve("work"), "synthetic_data.out_dir=" + synthetic, "data.train.ann_file=" + mine);
        assertEquals("error: " + mine + ": annotation file not found", error(r));
        assertFalse(Files.exists(synthetic));
    }

    @Test
    void aBrokenValListFailsBeforeTheFirstIteration() {
        Path work = dir.resolve("work");
        Path val = data.resolve("val_lst.txt");
        CliRun r = train(work, "data.val.ann_file=" + val, "--validate");
        assertEquals("error: " + val + ": annotation file not found", error(r));
        assertFalse(Files.exists(work), "no log or checkpoint before the inputs are checked");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"data.videos_per_gpu=0 | data.videos_per_gpu: must be at least 1, got 0",
        "data.videos_per_gpu=-3 | data.videos_per_gpu: must be at least 1, got -3",
        "data.workers_per_gpu=-1 | data.workers_per_gpu: must be at least 0, got -1",
        "data.train_dataloader.videos_per_gpu=-1 | data.train_dataloader.videos_per_gpu: must be at least 1, got -1"})
    void aBadLoaderValueIsAUserError(String option, String message) {
        CliRun r = train(dir.resolve("work"), option);
        assertEquals("error: --cfg-options " + option + ": " + message, error(r));
    }

    @Test
    void scheduleErrorsNameTheConfigLineBeforeAnyLog() {
        Path work = dir.resolve("work");
        String msg = error(train(work, "lr_config.min_lr=null"));
        assertTrue(msg.matches("error: .*/slowfast_tiny_synthetic\\.yaml:\\d+:\\d+: lr_config: CosineAnnealing needs "
                + "exactly one of min_lr and min_lr_ratio"), msg);
        assertFalse(Files.exists(work));
    }

    @Test
    void aMissingResumeCheckpointLeavesNoLogFiles() {
        Path work = dir.resolve("work");
        CliRun r = train(work, "--resume-from", "nope.pth");
        assertTrue(error(r).startsWith("error: nope.pth: "), r.err());
        assertFalse(Files.exists(work));
    }

    @Test
    void unwritableOutputsFailBeforeInferenceNamingTheUsersPath() throws IOException {
        Path blocker = Files.writeString(dir.resolve("blocker"), "a file, not a folder");
        Path out = blocker.resolve("result.json");
        CliRun r = CliRun.of("test", TEST_CONFIG, CHECKPOINT, "--out", out.toString());
        assertEquals("error: " + out + ": cannot write: " + blocker + " exists and is not a directory", error(r));
        assertEquals("", r.out(), "nothing ran");
        Path png = blocker.resolve("cm.png");
        r = CliRun.of("test", TEST_CONFIG, CHECKPOINT, "--eval", "top_k_accuracy", "--confusion-matrix",
                png.toString());
        assertEquals("error: " + png + ": cannot write: " + blocker + " exists and is not a directory", error(r));
        assertEquals("", r.out());
    }

    @Test
    void demoErrorsNameTheUsersVideo() throws IOException {
        Path video = Files.writeString(dir.resolve("my clip.mp4"), "not a video");
        String msg = error(CliRun.of("demo", TEST_CONFIG, CHECKPOINT, video.toString()));
        assertTrue(msg.startsWith("error: " + video + ": "), msg);
        assertFalse(msg.contains("slowfast-demo"), msg);
    }

    @Test
    void aLabelMapOfAnotherClassCountIsAnError() throws IOException {
        Path map = Files.write(dir.resolve("labels.txt"), List.of("a", "b", "c"));
        String expected = "error: " + map + ": the label map has 3 lines but the model has 5 classes";
        assertEquals(expected, error(CliRun.of("test", TEST_CONFIG, CHECKPOINT, "--eval", "top_k_accuracy",
                "--per-class", "--label-map", map.toString())));
        Path video = Files.writeString(dir.resolve("v.mp4"), "");
        assertEquals(expected, error(CliRun.of("demo", TEST_CONFIG, CHECKPOINT, video.toString(), "--label-map",
                map.toString())));
    }

    @Test
    void evalMetricHelpMentionsOnlyItsOwnOptions() {
        CliRun r = CliRun.of("eval-metric", "--help");
        assertEquals(0, r.code());
        assertTrue(r.out().contains("--metrics-out"), r.out());
        assertFalse(r.out().contains("--out "), r.out());
        assertFalse(r.out().contains("--out:"), r.out());
        assertFalse(r.out().contains("(test --out)"), r.out());
    }

    @Test
    void threadsAboveTheProcessorsAreRefusedUnlessForced() {
        int over = Runtime.getRuntime().availableProcessors() + 1;
        CliRun r = CliRun.of("train", CONFIG, "--threads", String.valueOf(over));
        assertEquals(2, r.code());
        assertEquals("error: --threads " + over + " is more than the " + (over - 1) + " available processors (training "
                + "runs one model replica per thread); add --force-threads to use that many anyway\n"
                + "(see: slowfast train --help)", r.err().strip());
        assertEquals(0, CliRun.of("--threads", String.valueOf(over), "--force-threads", "print-config", CONFIG).code());
    }

    @Test
    void anAnnotationFileOfOneHugeLineNamesTheLine() throws IOException {
        CliRun r = train(dir.resolve("work"), "data.train.ann_file=/dev/zero");
        assertEquals("error: /dev/zero:1: a line longer than 65536 characters (is this a text file of one entry per "
                + "line?)", error(r));
        Path ann = dir.resolve("ann.txt");
        Files.writeString(ann, "a 8 0\n" + "b".repeat(1 << 20) + " 8 1\n");
        r = train(dir.resolve("work"), "data.train.ann_file=" + ann);
        assertEquals("error: " + ann + ":2: a line longer than 65536 characters (is this a text file of one entry per "
                + "line?)", error(r));
        assertFalse(Files.exists(dir.resolve("work")));
    }

    @Test
    void aSecondTrainRunOnABusyWorkDirIsRefusedNamingTheLock() throws IOException {
        Path work = dir.resolve("work");
        Files.createDirectories(work);
        try (org.slowfast.train.WorkDirLock first = org.slowfast.train.WorkDirLock.acquire(work)) {
            String msg = error(train(work));
            assertTrue(msg.startsWith("error: " + work.resolve("train.lock") + ": the work dir is in use by another "
                    + "train run (pid " + ProcessHandle.current().pid() + " on "), msg);
            try (Stream<Path> files = Files.list(work)) {
                assertEquals(List.of(work.resolve("train.lock")), files.toList()); // no log, config or checkpoint
            }
        }
    }

    @Test
    void aModelTooLargeForMemoryIsRefusedBeforeSyntheticDataIsGenerated() {
        Path missing = dir.resolve("synthetic");
        CliRun r = CliRun.of("train", CONFIG, "--work-dir", dir.resolve("work").toString(), "--cfg-options",
                "synthetic_data.out_dir=" + missing, "model.cls_head.num_classes=1000000000");
        int replicas = Runtime.getRuntime().availableProcessors();
        assertTrue(error(r).contains(": model.cls_head.num_classes: the model's parameters need at least "), r.err());
        assertTrue(r.err().contains("(3.85e+11 floats, 3.85e+11 of them in the head's fc; " + (2 * replicas + 1)
                + " copies: the weights and gradients of " + replicas + " training replicas and the momentum)"),
                r.err());
        assertFalse(Files.exists(missing));
        assertFalse(Files.exists(dir.resolve("work")));
    }
}
