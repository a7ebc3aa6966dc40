package org.slowfast.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.slowfast.SlowfastException;
import org.slowfast.api.VideoClassifier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code slowfast demo}: MMAction2's {@code demo/demo.py}. Classifies one video file with the config's test pipeline
 * through {@link VideoClassifier} (video decoding, as MMAction2's {@code inference_recognizer}) and prints the top-k
 * classes with their scores.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Classify one video with the test pipeline and print the top-k labels with their scores.")
public final class DemoCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Parameters(index = "2", paramLabel = "VIDEO", description = "The video file to classify.")
    Path video;

    @Option(names = "--label-map", paramLabel = "FILE", description = "Class names, one per line.")
    Path labelMap;

    @Option(names = "--top-k", defaultValue = "5", description = "How many classes to print (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() {
        if (!Files.isRegularFile(video)) {
            throw new SlowfastException(video + ": no such video file");
        }
        if (topK < 1) {
            throw new SlowfastException("--top-k must be at least 1, got " + topK);
        }
        Map<String, Float> top;
        try (VideoClassifier model = VideoClassifier.builder(config, checkpoint).labelMap(labelMap)
                .cfgOptions(cfgOptions).load()) {
            top = model.classify(video).top(topK);
        }
        System.out.println("The top-" + topK + " labels with corresponding scores are:");
        top.forEach((label, score) -> System.out.println(label + ": " + score));
        return 0;
    }
}
