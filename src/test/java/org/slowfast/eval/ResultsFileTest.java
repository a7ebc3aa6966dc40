package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;

class ResultsFileTest {
    @TempDir Path dir;

    @Test
    void roundTripKeepsFloat32ValuesExactly() {
        Path file = dir.resolve("sub/result.json");
        List<float[]> rows = List.of(new float[] {0.1f, 0.7f, 0.2f}, new float[] {1e-8f, 0.99999994f, 0f});
        ResultsFile.write(file, rows);
        double[][] back = ResultsFile.read(file);
        assertEquals(2, back.length);
        for (int i = 0; i < rows.size(); i++) {
            for (int c = 0; c < 3; c++) {
                assertEquals(rows.get(i)[c], (float) back[i][c]);
                assertEquals((double) rows.get(i)[c], back[i][c]);
            }
        }
    }

    @Test
    void readsWhatPythonJsonWrites() throws Exception {
        // json.dumps(np.array([[0.25, 0.75]], dtype=np.float32).tolist()) as mmcv writes it
        Path file = dir.resolve("mm.json");
        Files.writeString(file, "[[0.25, 0.75], [1, 0.0]]");
        assertArrayEquals(new double[] {1.0, 0.0}, ResultsFile.read(file)[1]);
    }

    @Test
    void errorsAreOneLineNamingTheFile() throws Exception {
        Path missing = dir.resolve("missing.json");
        assertEquals(missing + ": no such results file", message(missing));
        assertEquals(write("bad.json", "[[0.1, 0.2],").toString() + ": not valid JSON at line 1: "
                + "Unexpected end-of-input within/between Array entries", message(dir.resolve("bad.json")));
        assertTrue(message(write("bad2.json", "[[0.1,\n 0.2]]]]")).startsWith(dir.resolve("bad2.json")
                + ": not valid JSON at line 2: Unexpected close marker"), message(dir.resolve("bad2.json")));
        assertEquals(write("obj.json", "{\"a\": 1}") + ": expected a JSON array of per-video score arrays",
                message(dir.resolve("obj.json")));
        assertEquals(write("ragged.json", "[[0.1, 0.2], [0.3]]") + ": entry 1 has 1 class scores but entry 0 has 2",
                message(dir.resolve("ragged.json")));
        assertEquals(write("str.json", "[[0.1, \"x\"]]") + ": entry 0 holds a non-number at line 1",
                message(dir.resolve("str.json")));
        assertEquals(write("r.csv", "x") + ": results files must be .pkl, .pickle, .json, .yaml or .yml (the "
                + "extension picks the format, as mmcv.dump)", message(dir.resolve("r.csv")));
        assertTrue(message(write("r.pkl", "x")).startsWith(dir.resolve("r.pkl") + ": not a readable Python pickle"));
        assertEquals(dir.resolve("g.pkl") + ": not a readable Python pickle (corrupt, or not a pickle)",
                message(write("g.pkl", "garbage\n"))); // GET with memo index "arbage"
        assertEquals(dir.resolve("flat.yaml") + ": entry 0 is not an array of class scores",
                message(write("flat.yaml", "[0.5, 0.25]")));
        for (String m : List.of(message(dir.resolve("bad.json")), message(missing))) {
            assertTrue(m.lines().count() == 1, m);
        }
    }

    @Test
    void shapeMismatchesAreOneLine() {
        double[][] results = {{0.1, 0.9}, {0.5, 0.5}};
        Path file = Path.of("r.json");
        assertEquals("r.json: 2 results but the test set has 3 videos", assertThrows(SlowfastException.class,
                () -> ResultsFile.checkShape(file, results, 3, 2)).getMessage());
        assertEquals("r.json: 2 class scores per video but model.cls_head.num_classes is 400",
                assertThrows(SlowfastException.class, () -> ResultsFile.checkShape(file, results, 2, 400))
                        .getMessage());
        ResultsFile.checkShape(file, results, 2, 2);
    }

    @Test
    void metricsJsonKeepsOrderAndFullPrecision() {
        LinkedHashMap<String, Double> m = new LinkedHashMap<>();
        m.put("top1_acc", 2.0 / 3);
        m.put("mean_class_accuracy", 0.5);
        assertEquals("{\"top1_acc\": 0.6666666666666666, \"mean_class_accuracy\": 0.5}", ResultsFile.metricsJson(m));
        assertEquals(Path.of("out/result.metrics.json"), ResultsFile.metricsPathFor(Path.of("out/result.json")));
    }

    @Test
    void confusionMatrixPngAndPerClassTableUseNames() throws Exception {
        double[][] scores = {{0.9, 0.1, 0}, {0.2, 0.8, 0}, {0.6, 0.4, 0}};
        ConfusionMatrix cm = ConfusionMatrix.of(scores, new int[] {0, 1, 1});
        Path png = dir.resolve("cm.png");
        ConfusionMatrixPlot.write(png, cm, List.of("abseiling", "air drumming", "archery"));
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(image.getWidth() > 2 * 48 && image.getHeight() == image.getWidth());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PerClassTable.print(cm, List.of("abseiling", "air drumming"), new PrintStream(bytes, true, StandardCharsets.UTF_8));
        List<String> lines = bytes.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(List.of(
                "class  name          support  predicted   hits  accuracy",
                "    0  abseiling           1          2      1    1.0000",
                "    1  air drumming        2          1      1    0.5000"), lines);
    }

    private Path write(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    private static String message(Path file) {
        return assertThrows(SlowfastException.class, () -> ResultsFile.read(file)).getMessage();
    }
}
