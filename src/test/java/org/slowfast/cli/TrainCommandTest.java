package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.config.LoadedConfig;

/** {@code slowfast train} from the command line on a tiny generated synthetic dataset. */
class TrainCommandTest {
    static final String CONFIG = "configs/recognition/slowfast/slowfast_tiny_synthetic.yaml";

    @Test
    void workDirPriority() {
        LoadedConfig withDir = LoadedConfig.load(Path.of(CONFIG), List.of());
        assertEquals(Path.of("cli"), TrainCommand.resolveWorkDir(withDir, Path.of("cli")));
        assertEquals(Path.of("./work_dirs/slowfast_tiny_synthetic"), TrainCommand.resolveWorkDir(withDir, null));
        LoadedConfig without = LoadedConfig.load(Path.of(CONFIG), List.of("work_dir=null"));
        assertEquals(Path.of("work_dirs", "slowfast_tiny_synthetic"), TrainCommand.resolveWorkDir(without, null));
    }

    @Test
    void generatesMissingDataAndTrainsOneEpoch(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("synthetic");
        Path work = dir.resolve("work");
        int code = SlowfastCommand.commandLine().execute("train", CONFIG, "--work-dir", work.toString(), "--validate",
                "--seed", "0", "--diff-seed", "--deterministic", "--test-last", "--test-best", "--cfg-options",
                "synthetic_data.out_dir=" + data, "synthetic_data.videos_per_class=5", "synthetic_data.frames=32",
                "synthetic_data.size=32x32",
                "data.train.ann_file=" + data.resolve("train_list_rawframes.txt"),
                "data.train.data_prefix=" + data.resolve("rawframes"),
                "data.val.ann_file=" + data.resolve("val_list_rawframes.txt"),
                "data.val.data_prefix=" + data.resolve("rawframes"),
                "data.test.ann_file=" + data.resolve("val_list_rawframes.txt"),
                "data.test.data_prefix=" + data.resolve("rawframes"),
                "total_epochs=1", "log_config.interval=1");
        assertEquals(0, code);
        assertTrue(Files.exists(data.resolve("label_map.txt")));
        for (String f : List.of("epoch_1.pth", "latest.pth", "best_top1_acc_epoch_1.pth", "curves.png",
                "slowfast_tiny_synthetic.yaml")) {
            assertTrue(Files.exists(work.resolve(f)), f);
        }
        try (var files = Files.list(work)) {
            Path json = files.filter(p -> p.toString().endsWith(".log.json")).findFirst().orElseThrow();
            List<String> lines = Files.readAllLines(json);
            assertTrue(lines.get(1).startsWith("{\"mode\":\"train\",\"epoch\":1,\"iter\":1,"), lines.get(1));
            assertTrue(lines.get(lines.size() - 1).startsWith("{\"mode\":\"val\",\"epoch\":1,"));
            // --diff-seed adds the rank, 0 in one process
            assertTrue(lines.get(0).contains("\"seed\":0"), lines.get(0));
        }
        // --test-last / --test-best: the last and the best checkpoint tested on data.test, as `test` would
        for (String name : List.of("last", "best")) {
            Path pred = work.resolve(name + "_pred.pkl");
            CliRun test = CliRun.of("test", CONFIG, work.resolve(name.equals("last") ? "latest.pth"
                    : "best_top1_acc_epoch_1.pth").toString(), "--out", dir.resolve(name + ".pkl").toString(),
                    "--eval", "top_k_accuracy", "mean_class_accuracy", "--cfg-options",
                    "data.test.ann_file=" + data.resolve("val_list_rawframes.txt"),
                    "data.test.data_prefix=" + data.resolve("rawframes"));
            assertEquals(0, test.code(), test.err());
            assertTrue(java.util.Arrays.equals(Files.readAllBytes(dir.resolve(name + ".pkl")),
                    Files.readAllBytes(pred)), name);
            try (var files = Files.list(work)) {
                Path log = files.filter(p -> p.toString().endsWith(".log")).findFirst().orElseThrow();
                String text = Files.readString(log);
                String metrics = test.out().substring(test.out().indexOf("top1_acc: ")).strip();
                assertTrue(text.contains("Testing results of the " + name + " checkpoint"), text);
                for (String line : metrics.lines().toList()) {
                    assertTrue(text.contains(line), line + " not in the log");
                }
            }
        }
        // resume and auto-resume are exclusive, as are --gpus and --gpu-ids
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = SlowfastCommand.commandLine();
        cl.setErr(new PrintWriter(err, true));
        assertEquals(2, cl.execute("train", CONFIG, "--auto-resume", "--resume-from", "x.pth"));
    }
}
