package org.slowfast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.eval.ResultsFile;

/**
 * Pickles and YAML files that run code when Python (or a careless Java YAML loader) reads them. Each payload would
 * create a marker file: CPython's own {@code pickle.load} is run on each pickle first (when a python3 is on the PATH)
 * to prove that the payload is live, then the toolkit reads it from a results {@code .pkl}, a zip {@code .pth}, a
 * legacy {@code .pth} and from inside a valid checkpoint's {@code meta}, and the marker must not appear.
 */
class PayloadSecurityTest {
    @TempDir Path dir;

    /** The pickle opcodes of each payload (between PROTO and STOP) that create {@code marker} when run. */
    static Stream<Arguments> payloads() {
        return Stream.of(
                Arguments.of("GLOBAL os.system + REDUCE", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.global("os", "system").unicode("touch " + m).op(0x85).op('R')),
                Arguments.of("STACK_GLOBAL posix.system + REDUCE", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.stackGlobal("posix", "system").unicode("touch " + m).op(0x85).op('R')),
                Arguments.of("builtins.eval + REDUCE", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.global("builtins", "eval").unicode("__import__('os').system('touch " + m + "')")
                                .op(0x85).op('R')),
                Arguments.of("subprocess.check_call + REDUCE", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.global("subprocess", "check_call").op('(').unicode("touch").unicode(m).op('l')
                                .op(0x85).op('R')),
                Arguments.of("BUILD that sets __setstate__ = os.system", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.global("types", "SimpleNamespace").op(')').op('R')
                                .op('N').op('}').unicode("__setstate__").global("os", "system").op('s').op(0x86)
                                .op('b').unicode("touch " + m).op('b')),
                Arguments.of("INST os.system", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.op('(').unicode("touch " + m).op('i').ascii("os\nsystem\n")),
                Arguments.of("OBJ os.system", (BiConsumer<PickleBytes, String>) (p, m) ->
                        p.op('(').global("os", "system").unicode("touch " + m).op('o')));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("payloads")
    void pickledCallsAreNeverRun(String name, BiConsumer<PickleBytes, String> payload) throws Exception {
        Path marker = dir.resolve("ran");
        PickleBytes alone = PickleBytes.proto(4);
        payload.accept(alone, marker.toString());
        byte[] pickle = alone.stop().bytes();
        assertPythonRuns(pickle, marker);

        refused(ResultsFile::read, PickleBytes.pkl(dir.resolve("results.pkl"), pickle));
        refused(PthReader::read, PickleBytes.zipPth(dir.resolve("zip.pth"), pickle));
        refused(PthReader::read, PickleBytes.legacyPth(dir.resolve("legacy.pth"), pickle));

        // inside an otherwise valid checkpoint's meta: the checkpoint loads, the payload stays a description
        PickleBytes inMeta = PickleBytes.proto(4).op('}').op('(').unicode("meta").op('}').unicode("x");
        payload.accept(inMeta, marker.toString());
        inMeta.op('s').unicode("state_dict").op('}').unicode("w");
        inMeta.floatTensor(1, new long[] {1}, new long[] {1}).op('s').op('u');
        Checkpoint ckpt = PthReader.read(PickleBytes.zipPth(dir.resolve("meta.pth"), inMeta.stop().bytes(),
                new byte[4]));
        assertEquals(List.of("w"), List.copyOf(ckpt.stateDict().keySet()));
        assertTrue(ckpt.meta().containsKey("x"), ckpt.meta().toString());
        assertFalse(Files.exists(marker), "the payload ran");
    }

    @ParameterizedTest
    @ValueSource(strings = {"java.io.FileOutputStream", "java.lang.ProcessBuilder"})
    void javaClassNamesInAPickleAreNeverInstantiated(String javaClass) {
        Path marker = dir.resolve("ran");
        int dot = javaClass.lastIndexOf('.');
        byte[] pickle = PickleBytes.proto(2).global(javaClass.substring(0, dot), javaClass.substring(dot + 1))
                .unicode(marker.toString()).op(0x85).op('R').stop().bytes();
        refused(ResultsFile::read, PickleBytes.pkl(dir.resolve("results.pkl"), pickle));
        refused(PthReader::read, PickleBytes.zipPth(dir.resolve("zip.pth"), pickle));
        assertFalse(Files.exists(marker), "a Java class was instantiated");
    }

    @ParameterizedTest
    @ValueSource(strings = {"!!java.io.FileOutputStream [\"MARKER\"]",
        "!!javax.script.ScriptEngineManager [!!java.net.URLClassLoader [[!!java.net.URL [\"file:MARKER\"]]]]",
        "[!!java.net.URL [\"file:MARKER\"]]"})
    void yamlTypeTagsAreRefusedInOneLine(String gadget) throws IOException {
        Path marker = dir.resolve("ran");
        String yaml = gadget.replace("MARKER", marker.toString());
        Path config = Files.writeString(dir.resolve("gadget.yaml"), "model: " + yaml + "\n");
        refused(f -> LoadedConfig.load(f, List.of()), config);
        Path results = Files.writeString(dir.resolve("results.yaml"), "- " + yaml + "\n");
        refused(ResultsFile::read, results);
        assertFalse(Files.exists(marker), "a YAML tag instantiated a Java class");
    }

    private static void refused(java.util.function.Consumer<Path> read, Path file) {
        SlowfastException e = assertThrows(SlowfastException.class, () -> read.accept(file));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains(file.getFileName().toString()), e.getMessage());
    }

    /** CPython's {@code pickle.load} runs the payload: the marker appears (skipped without a python3). */
    private void assertPythonRuns(byte[] pickle, Path marker) throws Exception {
        Path file = Files.write(dir.resolve("payload.pickle"), pickle);
        Process python;
        try {
            python = new ProcessBuilder("python3", "-c", "import pickle, sys; pickle.load(open(sys.argv[1], 'rb'))",
                    file.toString()).redirectErrorStream(true).redirectOutput(dir.resolve("python.log").toFile())
                    .start();
        } catch (IOException noPython) {
            return;
        }
        assertTrue(python.waitFor(60, TimeUnit.SECONDS), "python3 hung");
        assertTrue(Files.exists(marker), "the payload is not live in CPython: " + Files.readString(
                dir.resolve("python.log")));
        Files.delete(marker);
    }
}
