package org.slowfast.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.SlowfastException;
import org.slowfast.cli.CliRun;
import org.slowfast.eval.ResultsFile;

/**
 * Pickles that declare more than the file holds, or expand far beyond it (issue 19's table), in each container the
 * toolkit reads: a results {@code .pkl}, a zip {@code .pth} and a legacy {@code .pth}. Each ends in the toolkit's
 * one-line error naming the file, within seconds (the timeout only guards against a hang, it measures nothing). So
 * does a results YAML holding a scalar of megabytes.
 */
class HostilePickleTest {
    private static final Duration HANG = Duration.ofSeconds(30);

    @TempDir Path dir;

    /** Where a hostile pickle is put and how the toolkit reads it. */
    enum Container {
        RESULTS_PKL((d, p) -> PickleBytes.pkl(d.resolve("results.pkl"), p), ResultsFile::read),
        ZIP_PTH((d, p) -> PickleBytes.zipPth(d.resolve("zip.pth"), p), PthReader::read),
        LEGACY_PTH((d, p) -> PickleBytes.legacyPth(d.resolve("legacy.pth"), p), PthReader::read);

        final BiFunction<Path, byte[], Path> write;
        final Consumer<Path> read;

        Container(BiFunction<Path, byte[], Path> write, Consumer<Path> read) {
            this.write = write;
            this.read = read;
        }
    }

    /** Each hostile pickle with a part of the error it must give (empty: any one-line error). */
    static List<Object[]> pickles() {
        List<Object[]> cases = new ArrayList<>();
        cases.add(new Object[] {"BINBYTES of 4 GB", PickleBytes.proto(3).op('B').int32(0xffffffffL).raw(1, 2, 3)
                .stop().bytes(), "BINBYTES declares 4294967295 bytes but only"});
        cases.add(new Object[] {"BINUNICODE of 2 GB", PickleBytes.proto(3).op('X').int32(0x80000000L).raw(1, 2)
                .stop().bytes(), "BINUNICODE declares 2147483648 bytes but only"});
        cases.add(new Object[] {"BINBYTES8 of 2^62", PickleBytes.proto(4).op(0x8e).int64(1L << 62).stop().bytes(),
                "BINBYTES8 declares 4611686018427387904 bytes"});
        cases.add(new Object[] {"BINUNICODE8 of 2^64-1", PickleBytes.proto(4).op(0x8d).int64(-1).stop().bytes(),
                "declares 18446744073709551615 bytes"});
        cases.add(new Object[] {"BYTEARRAY8 of 3 GB", PickleBytes.proto(5).op(0x96).int64(3L << 30).stop().bytes(),
                "declares 3221225472 bytes"});
        cases.add(new Object[] {"BINSTRING of a negative length", PickleBytes.proto(2).op('T').int32(-5).stop()
                .bytes(), "BINSTRING declares"});
        cases.add(new Object[] {"LONG4 of 1 GB", PickleBytes.proto(2).op(0x8b).int32(1 << 30).stop().bytes(),
                "4300 digits"});
        cases.add(new Object[] {"LONG of 100000 digits", PickleBytes.proto(0).op('L')
                .ascii("9".repeat(100_000) + "L\n").stop().bytes(), "4300 digits"});
        cases.add(new Object[] {"memo bomb of nested lists", memoBomb(), "memo bomb"});
        cases.add(new Object[] {"memo bomb of BUILDs", buildBomb(), "memo bomb"});
        cases.add(new Object[] {"a list key that contains itself", PickleBytes.proto(2).op('}').op('(').op(']')
                .binput(0).binget(0).op('a').op('K').raw(1).op('u').stop().bytes(), "unhashable"});
        cases.add(new Object[] {"numpy shape 2^40 over 4 floats", numpyArray(1L << 40, 16),
                "shape (1099511627776,) and dtype f4 needs 1099511627776 × 4 bytes but holds 16"});
        cases.add(new Object[] {"numpy shape (-4,)", numpyArray(-4, 16), "negative size"});
        cases.add(new Object[] {"numpy of 17 bytes", numpyArray(4, 17), "needs 16 bytes but holds 17"});
        cases.add(new Object[] {"not a pickle", "{\"a\": 1}".getBytes(), ""});
        cases.add(new Object[] {"an empty file", new byte[0], ""});
        return cases;
    }

    static Stream<Arguments> everyContainer() {
        return pickles().stream().flatMap(c -> Stream.of(Container.values()).map(k -> Arguments.of(c[0], c[1], c[2],
                k)));
    }

    @ParameterizedTest(name = "{0} in {3}")
    @MethodSource("everyContainer")
    void endsInOneLineNamingTheFile(String name, byte[] pickle, String reason, Container container) {
        Path file = container.write.apply(dir, pickle);
        SlowfastException e = assertTimeoutPreemptively(HANG,
                () -> assertThrows(SlowfastException.class, () -> container.read.accept(file)));
        String message = e.getMessage();
        assertEquals(1, message.lines().count(), message);
        assertTrue(message.startsWith(file.toString()), message);
        assertTrue(message.contains(reason), message);
    }

    @Test
    void theCommandsPrintOneLineAndExitWithCode2() throws Exception {
        Path results = PickleBytes.pkl(dir.resolve("huge.pkl"), (byte[]) pickles().get(0)[1]);
        Path list = java.nio.file.Files.writeString(dir.resolve("list.txt"), "a.mp4 0\n");
        CliRun scored = CliRun.of("report-accuracy", "--scores", results.toString(), "--datalist", list.toString());
        assertEquals(2, scored.code());
        assertEquals(List.of("error: " + results + ": not a readable Python pickle: BINBYTES declares 4294967295 "
                + "bytes but only 4 remain in the file"), scored.err().lines().toList());

        Path checkpoint = PickleBytes.zipPth(dir.resolve("bomb.pth"), memoBomb());
        CliRun published = CliRun.of("publish-model", checkpoint.toString(), dir.resolve("out.pth").toString());
        assertEquals(2, published.code());
        assertEquals(1, published.err().lines().count(), published.err());
        assertTrue(published.err().startsWith("error: " + checkpoint + ": "), published.err());
    }

    @Test
    void aResultsYamlWithAHugeScalarIsRefusedByLine() throws Exception {
        // SnakeYAML scans a long run without spaces in quadratic time: 8 MB took most of a minute
        Path file = java.nio.file.Files.writeString(dir.resolve("huge.yaml"),
                "- [0.5, 0.5]\n- \"" + "a".repeat(8 << 20) + "\"\n");
        SlowfastException e = assertTimeoutPreemptively(HANG,
                () -> assertThrows(SlowfastException.class, () -> ResultsFile.read(file)));
        assertEquals(file + ":2: more than 65536 characters without a space or line break", e.getMessage());
    }

    @Test
    void manyAppendsReadInLinearTime() {
        // razorvine's APPENDS trims the list each time: 400k one-item APPENDS on one list was quadratic
        PickleBytes p = PickleBytes.proto(2).op(']').op('(').op(']').op('e'); // [[]]: a first row
        for (int i = 0; i < 400_000; i++) {
            p.op('(').op('K').raw(1).op('e');
        }
        Path file = PickleBytes.pkl(dir.resolve("appends.pkl"), p.stop().bytes());
        SlowfastException e = assertTimeoutPreemptively(HANG,
                () -> assertThrows(SlowfastException.class, () -> ResultsFile.read(file)));
        assertEquals(file + ": entry 0 has no class scores", e.getMessage());
    }

    @Test
    void aListThatContainsItselfReadsAsPythonPrintsIt() {
        Path file = PickleBytes.pkl(dir.resolve("self.pkl"),
                PickleBytes.proto(2).op(']').binput(0).binget(0).op('a').stop().bytes());
        assertEquals(List.of("..."), NumpyPickle.read(file));
    }

    @Test
    void nestingDeeperThan64ReadsAsAnEllipsis() {
        PickleBytes p = PickleBytes.proto(2);
        int depth = 200_000;
        for (int i = 0; i < depth; i++) {
            p.op(']');
        }
        for (int i = 1; i < depth; i++) {
            p.op('a');
        }
        Object tree = assertTimeoutPreemptively(HANG,
                () -> NumpyPickle.read(PickleBytes.pkl(dir.resolve("deep.pkl"), p.stop().bytes())));
        for (int level = 0; level <= 64; level++) {
            tree = ((List<?>) tree).get(0);
        }
        assertEquals("...", tree);
    }

    @Test
    void aTensorViewBiggerThanItsFileIsRefused() {
        // size (2^20, 2^20) with strides (0, 0) over one float: 2^40 elements from 4 bytes
        byte[] pickle = PickleBytes.proto(2).op('}').unicode("w")
                .floatTensor(1, new long[] {1 << 20, 1 << 20}, new long[] {0, 0}).op('s').stop().bytes();
        Path file = PickleBytes.zipPth(dir.resolve("view.pth"), pickle, new byte[4]);
        SlowfastException e = assertTimeoutPreemptively(HANG,
                () -> assertThrows(SlowfastException.class, () -> PthReader.read(file)));
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
        assertTrue(e.getMessage().contains("memo bomb"), e.getMessage());
    }

    @Test
    void aRealOneFloatTensorStillReads() {
        byte[] pickle = PickleBytes.proto(2).op('}').unicode("w")
                .floatTensor(1, new long[] {1}, new long[] {1}).op('s').stop().bytes();
        Map<String, Tensor> weights = PthReader.read(PickleBytes.zipPth(dir.resolve("one.pth"), pickle,
                new byte[] {0, 0, (byte) 0x80, 0x3f})).stateDict();
        assertEquals(1.0f, weights.get("w").toFloats()[0]);
    }

    /** 250 lists, each holding the previous one twice: 2^250 elements when walked as a tree. */
    static byte[] memoBomb() {
        PickleBytes p = PickleBytes.proto(2).op(']').binput(0);
        for (int i = 1; i < 250; i++) {
            p.op('(').binget(i - 1).binget(i - 1).op('l').binput(i);
        }
        return p.stop().bytes();
    }

    /** An object given the same 50,000-entry dict as its state 300,000 times (Python itself would take hours). */
    static byte[] buildBomb() {
        PickleBytes p = PickleBytes.proto(2).global("mmcv", "Thing").op(')').op('R');
        p.op('}').op('(');
        for (int i = 0; i < 50_000; i++) {
            p.op('J').int32(i).op('N');
        }
        p.op('u').binput(1).op('0'); // memoize the dict and POP it: the object is on top
        for (int i = 0; i < 300_000; i++) {
            p.binget(1).op('b');
        }
        return p.stop().bytes();
    }

    /** A results list holding one protocol-5 numpy array ({@code _frombuffer}) of {@code bytes} bytes. */
    static byte[] numpyArray(long length, int bytes) {
        return PickleBytes.proto(5).op(']')
                .global("numpy.core.numeric", "_frombuffer").op('(')
                .op('C').raw(bytes).raw(new byte[bytes])
                .global("numpy", "dtype").shortUnicode("f4").op(0x85).op('R')
                .op('I').ascii(length + "\n").op(0x85)
                .shortUnicode("C")
                .op('t').op('R').op('a').stop().bytes();
    }
}
