package org.slowfast.eval;

import org.slowfast.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code slowfast test} and {@code slowfast eval-metric} end to end: the tiny model's checkpoint
 * ({@code model/tiny_state.pth}) on six PNG rawframe clips, against scores and metrics computed independently with
 * PyTorch and numpy ({@code tools/fixtures/make_eval_fixtures.py} → {@code eval/e2e/expected.json}).
 */
class TestCommandTest {
    static final String CONFIG = "src/test/resources/eval/e2e.yaml";
    static final String CHECKPOINT = "src/test/resources/model/tiny_state.pth";
    static JsonNode expected;

    @TempDir Path dir;

    @BeforeAll
    static void loadExpected() throws Exception {
        expected = new ObjectMapper().readTree(Path.of("src/test/resources/eval/e2e/expected.json").toFile());
    }

    /** The result of one command line: exit code, stdout, stderr. */


    @Test
    void probScoresAndMetricsMatchPyTorchAndRoundTripThroughEvalMetric() throws Exception {
        Path result = dir.resolve("out/result.json");
        Path png = dir.resolve("cm.png");
        CliRun r = CliRun.of("test", CONFIG, CHECKPOINT, "--out", result.toString(), "--eval", "top_k_accuracy",
                "mean_class_accuracy", "--confusion-matrix", png.toString());
        assertEquals(0, r.code(), r.err());
        assertScores(expected.get("prob"), ResultsFile.read(result), 1e-5);
        JsonNode m = expected.get("metrics");
        String nl = System.lineSeparator();
        assertTrue(r.out().startsWith("writing results to " + result + nl), r.out());
        assertTrue(r.out().endsWith(nl + "top1_acc: " + Evaluator.format4(m.get("top1_acc").asDouble()) + nl
                + "top2_acc: " + Evaluator.format4(m.get("top2_acc").asDouble()) + nl
                + "top5_acc: 1.0000" + nl
                + "mean_class_accuracy: " + Evaluator.format4(m.get("mean_class_accuracy").asDouble()) + nl), r.out());
        assertTrue(r.out().contains(nl + "Evaluating top_k_accuracy ..." + nl), r.out());
        JsonNode metrics = new ObjectMapper().readTree(dir.resolve("out/result.metrics.json").toFile());
        List<String> names = new java.util.ArrayList<>();
        metrics.fieldNames().forEachRemaining(names::add);
        assertEquals(List.of("top1_acc", "top2_acc", "top5_acc", "mean_class_accuracy"), names);
        metrics.fields().forEachRemaining(e -> assertEquals(m.get(e.getKey()).asDouble(), e.getValue().asDouble(),
                0.0, e.getKey()));
        assertTrue(Files.size(png) > 0);

        CliRun json = CliRun.of("eval-metric", CONFIG, result.toString(), "--eval", "top_k_accuracy", "mean_class_accuracy",
                "--json");
        assertEquals(0, json.code(), json.err());
        JsonNode fromFile = new ObjectMapper().readTree(json.out());
        assertEquals(metrics, fromFile);
        assertEquals(1, json.out().strip().lines().count());
    }

    @Test
    void scoreAveragingAndChunkedViewsMatchPyTorch() throws Exception {
        Path result = dir.resolve("score.json");
        CliRun r = CliRun.of("test", CONFIG, CHECKPOINT, "--out", result.toString(), "--average-clips", "score",
                "--cfg-options", "model.test_cfg.max_testing_views=4");
        assertEquals(0, r.code(), r.err());
        assertScores(expected.get("score"), ResultsFile.read(result), 2e-4);
    }

    @Test
    void pickleAndYamlResultsHoldTheSameScores() throws Exception {
        Path pkl = dir.resolve("out/result.pkl");
        CliRun r = CliRun.of("test", CONFIG, CHECKPOINT, "--out", pkl.toString());
        assertEquals(0, r.code(), r.err());
        assertScores(expected.get("prob"), ResultsFile.read(pkl), 1e-5);
        Path yaml = dir.resolve("out/result.yaml");
        assertEquals(0, CliRun.of("test", CONFIG, CHECKPOINT, "--out", yaml.toString()).code());
        assertArrayEquals(ResultsFile.read(pkl), ResultsFile.read(yaml));
        CliRun metrics = CliRun.of("eval-metric", CONFIG, pkl.toString(), "--eval", "top_k_accuracy", "--json");
        assertEquals(0, metrics.code(), metrics.err());
        assertEquals(expected.get("metrics").get("top1_acc").asDouble(),
                new ObjectMapper().readTree(metrics.out()).get("top1_acc").asDouble(), 1e-12);
    }

    @Test
    void fusedConvBnScoresMatchPyTorchAndEvalOptionsSetTopk() throws Exception {
        Path result = dir.resolve("fused.json");
        CliRun r = CliRun.of("test", CONFIG, CHECKPOINT, "--fuse-conv-bn", "--out", result.toString(), "--eval",
                "top_k_accuracy", "--eval-options", "topk=(2,5)");
        assertEquals(0, r.code(), r.err());
        // the unfused PyTorch model's scores, within the 1e-4
        assertScores(expected.get("prob"), ResultsFile.read(result), 1e-4);
        JsonNode m = expected.get("metrics");
        String nl = System.lineSeparator();
        assertTrue(r.out().endsWith(nl + "top2_acc: " + Evaluator.format4(m.get("top2_acc").asDouble()) + nl
                + "top5_acc: " + Evaluator.format4(m.get("top5_acc").asDouble()) + nl), r.out());
        // metrics= replaces --eval; topk=1,2 as mmcv's DictAction reads it
        CliRun again = CliRun.of("eval-metric", CONFIG, result.toString(), "--eval", "top_k_accuracy",
                "--eval-options", "metrics=mean_class_accuracy,top_k_accuracy", "topk=1,2", "--json");
        assertEquals(0, again.code(), again.err());
        JsonNode metrics = new ObjectMapper().readTree(again.out());
        assertEquals(List.of("mean_class_accuracy", "top1_acc", "top2_acc"), iterableNames(metrics));
        assertEquals(m.get("top1_acc").asDouble(), metrics.get("top1_acc").asDouble(), 1e-12);
        assertEquals(m.get("mean_class_accuracy").asDouble(), metrics.get("mean_class_accuracy").asDouble(), 1e-12);
        CliRun bad = CliRun.of("eval-metric", CONFIG, result.toString(), "--eval", "top_k_accuracy", "--eval-options",
                "k=3");
        assertEquals("error: --eval-options: unknown option 'k=3' (topk=K,..., metrics=NAME,...)", bad.err().strip());
    }

    private static List<String> iterableNames(JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void multiLabelDatasetsEvaluateMeanAveragePrecision() throws Exception {
        // the e2e videos with several labels each; the expected value is the numpy fixture's AP of these prob scores
        JsonNode map = new ObjectMapper().readTree(Path.of("src/test/resources/results/map.json").toFile()).get("e2e");
        String[] multi = {"--cfg-options", "data.test.ann_file=src/test/resources/results/e2e_multilabel.txt",
            "data.test.multi_class=true", "data.test.num_classes=5"};
        Path pkl = dir.resolve("multi.pkl");
        CliRun r = CliRun.of(concat(new String[] {"test", CONFIG, CHECKPOINT, "--out", pkl.toString(), "--eval",
            "mean_average_precision", "mmit_mean_average_precision"}, multi));
        assertEquals(0, r.code(), r.err());
        String nl = System.lineSeparator();
        assertTrue(r.out().endsWith(nl + "mean_average_precision: "
                + Evaluator.format4(map.get("mean_average_precision").asDouble()) + nl + "mmit_mean_average_precision: "
                + Evaluator.format4(map.get("mmit_mean_average_precision").asDouble()) + nl), r.out());
        CliRun json = CliRun.of(concat(new String[] {"eval-metric", CONFIG, pkl.toString(), "--eval",
            "mean_average_precision", "--json"}, multi));
        assertEquals(0, json.code(), json.err());
        assertEquals(map.get("mean_average_precision").asDouble(),
                new ObjectMapper().readTree(json.out()).get("mean_average_precision").asDouble(), 1e-6);
        CliRun topk = CliRun.of(concat(new String[] {"eval-metric", CONFIG, pkl.toString(), "--eval",
            "top_k_accuracy"}, multi));
        assertEquals("error: top_k_accuracy needs one label per video, but video 0 has 2 (multi_class datasets: use "
                + "mean_average_precision)", topk.err().strip());
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @Test
    void userErrorsAreOneLineWithExitCode2() throws Exception {
        Path result = dir.resolve("r.json");
        assertEquals(0, CliRun.of("test", CONFIG, CHECKPOINT, "--out", result.toString()).code());
        Path shortFile = Files.writeString(dir.resolve("short.json"), "[[0.1, 0.2, 0.3, 0.2, 0.2]]");
        Path narrow = Files.writeString(dir.resolve("narrow.json"), "[[1, 0], [1, 0], [1, 0], [1, 0], [1, 0], [1, 0]]");
        Path bad = Files.writeString(dir.resolve("bad.json"), "[[0.1, 0.2");
        for (String[] args : List.of(
                new String[] {"eval-metric", CONFIG, shortFile.toString(), "--eval", "top_k_accuracy"},
                new String[] {"eval-metric", CONFIG, narrow.toString(), "--eval", "top_k_accuracy"},
                new String[] {"eval-metric", CONFIG, bad.toString(), "--eval", "top_k_accuracy"},
                new String[] {"eval-metric", CONFIG, dir.resolve("missing.json").toString(), "--eval", "top_k_accuracy"},
                new String[] {"eval-metric", CONFIG, result.toString(), "--eval", "top_k_acc"},
                new String[] {"test", CONFIG, CHECKPOINT},
                new String[] {"test", CONFIG, CHECKPOINT, "--eval", "top_k_accuracy", "--confusion-matrix", "cm.jpg"},
                new String[] {"test", CONFIG, CHECKPOINT, "--eval", "top_k_accuracy", "--cfg-options",
                    "evaluation.metric_options.top_k_accuracy.topk=[1,0]"},
                new String[] {"test", CONFIG, CHECKPOINT, "--out", dir.resolve("r.csv").toString()},
                new String[] {"demo", CONFIG, CHECKPOINT, dir.resolve("missing.mp4").toString()},
                new String[] {"eval-metric", CONFIG, result.toString(), "--eval", "top_k_accuracy", "--label-map",
                    dir.resolve("missing.txt").toString(), "--per-class"},
                new String[] {"test", CONFIG, dir.resolve("missing.pth").toString(), "--eval", "top_k_accuracy"},
                new String[] {"test", CONFIG, CHECKPOINT, "--eval", "top_k_accuracy", "--average-clips", "max"},
                new String[] {"test", CONFIG, CHECKPOINT, "--eval", "top_k_accuracy", "--average-clips", "none"})) {
            CliRun r = CliRun.of(args);
            assertEquals(2, r.code(), String.join(" ", args) + " -> " + r.err());
            assertTrue(r.err().startsWith("error: ") && r.err().strip().lines().count() == 1,
                    String.join(" ", args) + " -> " + r.err());
        }
        assertEquals("error: " + shortFile + ": 1 results but the test set has 6 videos",
                CliRun.of("eval-metric", CONFIG, shortFile.toString(), "--eval", "top_k_accuracy").err().strip());
        assertEquals("error: " + narrow + ": 2 class scores per video but model.cls_head.num_classes is 5",
                CliRun.of("eval-metric", CONFIG, narrow.toString(), "--eval", "top_k_accuracy").err().strip());
    }

    private static void assertScores(JsonNode expectedRows, double[][] actual, double tolerance) {
        assertEquals(expectedRows.size(), actual.length);
        for (int i = 0; i < actual.length; i++) {
            assertEquals(expectedRows.get(i).size(), actual[i].length);
            for (int c = 0; c < actual[i].length; c++) {
                assertEquals(expectedRows.get(i).get(c).asDouble(), actual[i][c], tolerance, "video " + i + " class " + c);
            }
        }
    }
}
