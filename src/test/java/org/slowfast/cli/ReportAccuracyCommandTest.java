package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.eval.ResultsFile;

/** {@code report-accuracy} on two tiny result sets; every expected number is worked out by hand in the comments. */
class ReportAccuracyCommandTest {
    @TempDir Path dir;

    private Path results(String name, float[]... rows) {
        Path file = dir.resolve(name);
        ResultsFile.write(file, List.of(rows));
        return file;
    }

    @Test
    void fusesWithCoefficientsAndReportsAsMmaction2() throws Exception {
        Path rgb = results("rgb.pkl", new float[] {0.6f, 0.3f, 0.1f}, new float[] {0.2f, 0.5f, 0.3f},
                new float[] {0.1f, 0.2f, 0.7f}, new float[] {0.45f, 0.35f, 0.2f});
        Path flow = results("flow.json", new float[] {0.1f, 0.8f, 0.1f}, new float[] {0.3f, 0.3f, 0.4f},
                new float[] {0.2f, 0.1f, 0.7f}, new float[] {0.2f, 0.1f, 0.7f});
        // the label is the last token of a line, for video and rawframe lists alike
        Path ann = Files.writeString(dir.resolve("val.txt"), "a.mp4 1\nb 30 2\nc.mp4 2\n\nd.mp4 0\n");
        // 1·rgb + 1·flow: [.7 1.1 .2] [.5 .8 .7] [.3 .3 1.4] [.65 .45 .9]; labels 1 2 2 0
        // top-1 predictions 1 1 2 2 -> hits on videos 0 and 2: 0.5; the label is always among the best two: 1.0
        // mean class accuracy over {0, 1, 2}: class 0 0/1, class 1 1/1, class 2 1/2 -> 0.5
        CliRun r = CliRun.of("report-accuracy", "--scores", rgb.toString(), flow.toString(), "--coefficients", "1",
                "1", "--datalist", ann.toString(), "--top-k", "1", "2");
        assertEquals(0, r.code(), r.err());
        assertEquals("Mean Class Accuracy: 0.5000\nTop 1 Accuracy: 0.5000\nTop 2 Accuracy: 1.0000\n",
                r.out().replace(System.lineSeparator(), "\n"));
        // 0·rgb + 1·flow: predictions 1 2 2 2 -> 0.75 top-1 (top-5 takes every class: 1.0);
        // classes {0, 1, 2}: 0/1, 1/1, 2/2 -> 2/3
        CliRun json = CliRun.of("report-accuracy", "--scores", rgb.toString(), flow.toString(), "--coefficients",
                "0", "1", "--datalist", ann.toString(), "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode m = new ObjectMapper().readTree(json.out());
        assertEquals(List.of("top1_acc", "top5_acc", "mean_class_accuracy"), iterable(m));
        assertEquals(0.75, m.get("top1_acc").asDouble());
        assertEquals(1.0, m.get("top5_acc").asDouble());
        assertEquals(2.0 / 3, m.get("mean_class_accuracy").asDouble(), 1e-15);
    }

    @Test
    void softmaxBeforeFusingChangesTheWinner() throws Exception {
        // raw sum [2, 5, 5.2] predicts class 2; softmax(a) = [.787 .107 .107], softmax(b) = [.003 .449 .548],
        // their sum [.790 .555 .655] predicts class 0, the label
        Path a = results("a.yaml", new float[] {2, 0, 0});
        Path b = results("b.pkl", new float[] {0, 5, 5.2f});
        Path ann = Files.writeString(dir.resolve("one.txt"), "v.mp4 0\n");
        String[] args = {"report-accuracy", "--scores", a.toString(), b.toString(), "--datalist", ann.toString(),
            "--top-k", "1", "--json"};
        assertEquals("{\"top1_acc\": 0.0, \"mean_class_accuracy\": 0.0}", CliRun.of(args).out().strip());
        String[] soft = java.util.Arrays.copyOf(args, args.length + 1);
        soft[args.length] = "--apply-softmax";
        assertEquals("{\"top1_acc\": 1.0, \"mean_class_accuracy\": 1.0}", CliRun.of(soft).out().strip());
    }

    @Test
    void mismatchesAreOneLineErrors() throws Exception {
        Path a = results("a.pkl", new float[] {1, 0}, new float[] {0, 1});
        Path wide = results("wide.pkl", new float[] {1, 0, 0}, new float[] {0, 1, 0});
        Path ann = Files.writeString(dir.resolve("ann.txt"), "x 0\ny 1\n");
        Path three = Files.writeString(dir.resolve("three.txt"), "x 0\ny 1\nz 1\n");
        Path bad = Files.writeString(dir.resolve("bad.txt"), "x 0\ny one\n");
        assertError("error: 2 score files but 1 coefficients (give one coefficient per file)",
                "--scores", a.toString(), a.toString(), "--coefficients", "1", "--datalist", ann.toString());
        assertError("error: " + wide + ": 2 videos x 3 classes, but " + a + " has 2 x 2",
                "--scores", a.toString(), wide.toString(), "--datalist", ann.toString());
        assertError("error: " + a + ": 2 results but " + three + " lists 3 videos",
                "--scores", a.toString(), "--datalist", three.toString());
        assertError("error: " + bad + ":2: the last token 'one' is not an integer label",
                "--scores", a.toString(), "--datalist", bad.toString());
    }

    private static void assertError(String expected, String... args) {
        String[] full = new String[args.length + 1];
        full[0] = "report-accuracy";
        System.arraycopy(args, 0, full, 1, args.length);
        CliRun r = CliRun.of(full);
        assertEquals(2, r.code());
        assertEquals(expected, r.err().strip());
        assertTrue(r.err().strip().lines().count() == 1);
    }

    private static List<String> iterable(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }
}
