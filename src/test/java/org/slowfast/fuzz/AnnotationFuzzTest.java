package org.slowfast.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slowfast.config.LoadedConfig;
import org.slowfast.data.ClipDataset;
import org.slowfast.data.LabelMap;

/**
 * The annotation readers (rawframe and video lists, multi-class lists, JSON lists) and the label map reader, on their
 * corpus and on mutants of its seeds.
 */
class AnnotationFuzzTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"RawframeDataset", "VideoDataset", "RawframeDataset-multi", "VideoDataset-json"})
    void readsEveryAnnotationFileOrFailsInOneLine(String dataset) throws IOException {
        String type = dataset.replaceFirst("-.*", "");
        Path ann = dir.resolve(dataset.endsWith("json") ? "ann.json" : "ann.txt");
        Path cfg = Files.writeString(dir.resolve("cfg.yaml"), String.join("\n",
                "model: {cls_head: {num_classes: 4}}",
                "data:",
                "  videos_per_gpu: 1",
                "  train:",
                "    type: " + type,
                "    ann_file: " + ann,
                "    data_prefix: " + dir,
                "    multi_class: " + dataset.endsWith("multi"),
                "    num_classes: 4",
                "    pipeline: [{type: SampleFrames, clip_len: 2}]",
                ""));
        LoadedConfig loaded = LoadedConfig.load(cfg, List.of());
        Fuzz.Reader read = file -> ClipDataset.build(loaded, "train");
        try (Fuzz fuzz = new Fuzz("annotations", dir)) {
            String seed = switch (dataset) {
                case "RawframeDataset" -> "seed-rawframes.txt";
                case "VideoDataset" -> "seed-videos.txt";
                case "RawframeDataset-multi" -> "seed-multiclass.txt";
                default -> "seed-list.json";
            };
            Files.write(ann, Fuzz.read(fuzz.corpus(seed).get(0)));
            assertTrue(ClipDataset.build(loaded, "train").size() >= 2, "the target reads its seed");
            List<Path> corpus = fuzz.corpus(dataset.endsWith("json") ? ".json" : ".txt");
            for (Path input : corpus) {
                fuzz.check(Fuzz.read(input), ann, read);
            }
            Mutator mutator = new Mutator(fuzz.random, Fuzz.bytes(corpus));
            for (int i = 0; i < Fuzz.tries(500); i++) {
                fuzz.check(mutator.next(), ann, read);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = "labelmap")
    void readsEveryLabelMapOrFailsInOneLine(String name) {
        try (Fuzz fuzz = new Fuzz("annotations", dir)) {
            Path file = dir.resolve(name + ".txt");
            Fuzz.Reader read = f -> LabelMap.read(f).checkClasses(4).name(3);
            List<Path> corpus = fuzz.corpus(".txt");
            for (Path input : corpus) {
                fuzz.check(Fuzz.read(input), file, read);
            }
            Mutator mutator = new Mutator(fuzz.random, Fuzz.bytes(corpus));
            for (int i = 0; i < Fuzz.tries(500); i++) {
                fuzz.check(mutator.next(), file, read);
            }
        }
    }
}
