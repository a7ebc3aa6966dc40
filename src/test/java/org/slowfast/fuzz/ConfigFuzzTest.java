package org.slowfast.fuzz;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.config.LoadedConfig;

/**
 * The config loader (YAML and JSON, {@code _base_} files, {@code --cfg-options}) on its corpus and on mutants: of the
 * config, of a {@code _base_} it names, and of the option strings.
 */
class ConfigFuzzTest {
    @TempDir Path dir;

    @Test
    void loadsEveryConfigOrFailsInOneLine() throws IOException {
        try (Fuzz fuzz = new Fuzz("config", dir)) {
            for (Path base : fuzz.corpus(".yaml")) {
                if (base.getFileName().toString().startsWith("base-")) {
                    Files.copy(base, dir.resolve(base.getFileName()));
                }
            }
            List<Path> configs = fuzz.corpus("").stream()
                    .filter(f -> f.getFileName().toString().matches("(seed|regress)-.*\\.(yaml|json)")).toList();
            for (Path input : configs) {
                String name = input.getFileName().toString();
                fuzz.check(Fuzz.read(input), dir.resolve("cfg" + name.substring(name.lastIndexOf('.'))), load());
            }
            Mutator config = new Mutator(fuzz.random, Fuzz.bytes(configs));
            Mutator base = new Mutator(fuzz.random, List.of(Fuzz.read(fuzz.corpus("base-model.yaml").get(0))));
            Path child = Files.writeString(dir.resolve("child.yaml"), "_base_: mutated-base.yaml\n");
            for (int i = 0; i < Fuzz.tries(300); i++) {
                if (i % 3 == 2) {
                    fuzz.check(base.next(), dir.resolve("mutated-base.yaml"), f -> LoadedConfig.load(child, List.of()));
                } else {
                    fuzz.check(config.next(), dir.resolve(i % 3 == 0 ? "cfg.yaml" : "cfg.json"), load());
                }
            }
        }
    }

    @Test
    void appliesEveryCfgOptionOrFailsInOneLine() throws IOException {
        try (Fuzz fuzz = new Fuzz("config", dir)) {
            for (Path base : fuzz.corpus(".yaml")) {
                Files.copy(base, dir.resolve(base.getFileName()));
            }
            Path config = dir.resolve("seed-tiny.yaml");
            assertEquals(4, LoadedConfig.load(config, List.of()).config().model().clsHead().numClasses(),
                    "the target reads its seed");
            List<byte[]> options = Arrays.stream(new String(Fuzz.read(fuzz.corpus("options.txt").get(0)),
                    StandardCharsets.UTF_8).split("\n")).map(o -> o.getBytes(StandardCharsets.UTF_8)).toList();
            for (Path once : fuzz.corpus(".txt")) { // regress-option-*.txt: one option per file
                if (once.getFileName().toString().startsWith("regress-option-")) {
                    option(fuzz, config, Fuzz.read(once));
                }
            }
            Mutator mutator = new Mutator(fuzz.random, options);
            for (int i = 0; i < Fuzz.tries(300); i++) {
                option(fuzz, config, mutator.next());
            }
        }
    }

    private void option(Fuzz fuzz, Path config, byte[] option) {
        String text = new String(option, StandardCharsets.UTF_8);
        fuzz.check(option, dir.resolve("option.txt"), f -> LoadedConfig.load(config, List.of(text)));
    }

    private static Fuzz.Reader load() {
        return file -> LoadedConfig.load(file, List.of());
    }
}
