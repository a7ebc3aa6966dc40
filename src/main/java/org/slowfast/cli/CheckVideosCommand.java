package org.slowfast.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.VideoCheck;
import org.slowfast.io.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast check-videos}: MMAction2's {@code tools/analysis/check_videos.py}. Every video of a split goes
 * through the split's decode steps on its first, last and three random frames, in parallel; the failures are listed
 * in annotation order.
 */
@Command(name = "check-videos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Find corrupted or missing videos: decode the first, last and three random frames of every"
                + " video of a split with the split's decode steps.",
            "--out gets one line per failing video: its path as written in the annotation file, a tab and the"
                + " reason (the file is removed when none fails)."})
public final class CheckVideosCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Option(names = "--split", paramLabel = "train|val|test",
            description = "Dataset split (default: ${DEFAULT-VALUE}).")
    String split = "train";

    @Option(names = {"--num-workers", "--num-processes"}, paramLabel = "N",
            description = "Videos checked in parallel (default: ${DEFAULT-VALUE}).")
    int numWorkers = Math.max(1, Runtime.getRuntime().availableProcessors() - 1);

    @Option(names = {"--out", "--output-file"}, paramLabel = "FILE",
            description = "List of the failing videos (default: ${DEFAULT-VALUE}).")
    Path out = Path.of("invalid-video.txt");

    @Option(names = "--remove-corrupted-videos", description = "Delete the failing video files (VideoDataset only).")
    boolean remove;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE",
            description = "Override keys of the merged config.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException, IOException {
        VideoJobs.checkWorkers(numWorkers);
        LoadedConfig cfg = LoadedConfig.load(config, cfgOptions);
        ClipDataset dataset = ClipDataset.build(cfg, split);
        VideoCheck.requireDecodeStep(dataset, cfg.file() + ": data." + split + ".pipeline");
        if (remove && !"VideoDataset".equals(dataset.config().type())) {
            throw new SlowfastException("--remove-corrupted-videos: data." + split + " is a "
                    + dataset.config().type() + ", not a VideoDataset");
        }
        AtomicFiles.checkWritable(out);
        String[] problems = check(dataset);
        Files.deleteIfExists(out);
        StringBuilder lines = new StringBuilder();
        List<Path> bad = new ArrayList<>();
        for (int i = 0; i < problems.length; i++) {
            if (problems[i] != null) {
                bad.add(dataset.entry(i).file());
                lines.append(dataset.writtenPath(i)).append('\t').append(problems[i]).append('\n');
            }
        }
        if (bad.isEmpty()) {
            System.out.printf("Checked %d videos, none are corrupted/missing%n", problems.length);
            return 0;
        }
        AtomicFiles.writeString(out, lines.toString());
        System.out.printf("Checked %d videos, %d are corrupted/missing. Listed in %s%n", problems.length, bad.size(),
                out);
        if (remove) {
            int deleted = 0;
            for (Path file : bad) {
                deleted += Files.deleteIfExists(file) ? 1 : 0;
            }
            System.out.printf("Deleted %d corrupted videos.%n", deleted);
        }
        return 0;
    }

    /** The problem of each entry (null when it decodes), in annotation order. */
    private String[] check(ClipDataset dataset) throws InterruptedException {
        String[] problems = new String[dataset.size()];
        VideoJobs.forEach("check", problems.length, numWorkers,
                i -> problems[i] = VideoCheck.problem(dataset, i, ClipDataset.random(0, 0, i, 0)));
        return problems;
    }
}
