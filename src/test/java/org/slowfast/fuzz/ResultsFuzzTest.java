package org.slowfast.fuzz;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slowfast.eval.ResultsFile;

/** The results readers ({@code .pkl}, {@code .json}, {@code .yaml}) on their corpus and on mutants of its seeds. */
class ResultsFuzzTest {
    @TempDir Path dir;

    @ParameterizedTest
    @ValueSource(strings = {".pkl", ".json", ".yaml"})
    void readsEveryInputOrFailsInOneLine(String ext) throws IOException {
        try (Fuzz fuzz = new Fuzz("results", dir)) {
            List<Path> corpus = fuzz.corpus(ext);
            Path file = dir.resolve("results" + ext);
            Files.write(file, Fuzz.read(corpus.stream().filter(f -> f.getFileName().toString().matches(
                    "seed-(mmcv|scores|plain).*")).findFirst().orElseThrow()));
            assertTrue(ResultsFile.read(file).length >= 2, "the target reads its seed");
            for (Path input : corpus) {
                fuzz.check(Fuzz.read(input), file, ResultsFile::read);
            }
            Mutator mutator = new Mutator(fuzz.random, Fuzz.bytes(corpus));
            for (int i = 0; i < Fuzz.tries(600); i++) {
                fuzz.check(mutator.next(), file, ResultsFile::read);
            }
        }
    }
}
