package org.slowfast.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.eval.ResultsFile;

/**
 * Results pickles and YAML against the fixtures of {@code tools/fixtures/make_results_fixtures.py} (CPython's pickle
 * and PyYAML with numpy 1.24): {@code scores.json} holds the values, the other files the same rows as MMAction2 or a
 * user's script writes them.
 */
class NumpyPickleTest {
    private static final Path DIR = Path.of("src/test/resources/results");

    @TempDir Path tmp;

    private static double[][] expected() throws Exception {
        return new ObjectMapper().readValue(DIR.resolve("scores.json").toFile(), double[][].class);
    }

    private static List<float[]> float32(double[][] rows) {
        List<float[]> out = new ArrayList<>();
        for (double[] row : rows) {
            float[] f = new float[row.length];
            for (int c = 0; c < row.length; c++) {
                f[c] = (float) row[c];
            }
            out.add(f);
        }
        return out;
    }

    @Test
    void writesExactlyThePickleThatMmcvDumpWrites() throws Exception {
        // CPython's protocol-2 bytes: pickle.load gives back a list of 300 float32 numpy arrays
        byte[] python = Files.readAllBytes(DIR.resolve("scores_p2.pkl"));
        assertArrayEquals(python, NumpyPickle.float32Rows(float32(expected())));
    }

    @Test
    void moreThanOneBatchMatchesCPythonsDigest() throws Exception {
        List<float[]> rows = new ArrayList<>();
        for (int n = 0; n < 1001; n++) {
            rows.add(new float[] {(float) (n / 7.0)});
        }
        byte[] digest = java.security.MessageDigest.getInstance("SHA-256").digest(NumpyPickle.float32Rows(rows));
        assertEquals(Files.readString(DIR.resolve("scores_1001.sha256")).strip(), hex(digest));
    }

    @Test
    void smallListsMatchCPythonsAppendAndEmptyForms() {
        // pickle.dumps([np.array([1, 2, 3], np.float32)], protocol=2) and pickle.dumps([], protocol=2)
        String one = "80025d7100636e756d70792e636f72652e6d756c746961727261790a5f7265636f6e7374727563740a7101636e756d70790a"
                + "6e6461727261790a71024b00857103635f636f646563730a656e636f64650a7104580100000062710558060000006c617469"
                + "6e31710686710752710887710952710a284b014b0385710b636e756d70790a64747970650a710c58020000006634710d8988"
                + "87710e52710f284b0358010000003c71104e4e4e4affffffff4affffffff4b0074711162896804580d0000000000c2803f00"
                + "000040000040407112680686711352711474711562612e";
        assertEquals(one, hex(NumpyPickle.float32Rows(List.of(new float[] {1, 2, 3}))));
        assertEquals("80025d71002e", hex(NumpyPickle.float32Rows(List.of())));
    }

    @Test
    void readsPicklesOfEveryProtocolAndMmcvYaml() throws Exception {
        double[][] expected = expected();
        for (String name : List.of("scores_p2.pkl", "scores_p4.pkl", "scores_p5.pkl")) {
            assertArrayEquals(expected, ResultsFile.read(DIR.resolve(name)), name);
        }
        assertArrayEquals(Arrays.copyOf(expected, 3), ResultsFile.read(DIR.resolve("scores_mmcv.yaml")));
    }

    @Test
    void everyFormatRoundTripsFloat32Exactly() throws Exception {
        List<float[]> rows = List.of(new float[] {0.1f, 1e-7f, 3e10f, -0.0f}, new float[] {1, 2, 3, 4});
        for (String name : List.of("r.pkl", "r.pickle", "r.json", "r.yaml", "r.yml")) {
            Path file = tmp.resolve("sub").resolve(name);
            ResultsFile.write(file, rows);
            double[][] back = ResultsFile.read(file);
            for (int n = 0; n < rows.size(); n++) {
                for (int c = 0; c < 4; c++) {
                    assertEquals(rows.get(n)[c], (float) back[n][c], name);
                }
            }
        }
        assertEquals("- [0.10000000149011612, 1.0000000116860974e-7, 3.0000001024e+10, -0.0]\n- [1.0, 2.0, 3.0, 4.0]\n",
                Files.readString(tmp.resolve("sub/r.yaml")));
    }

    private static String hex(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        for (byte b : bytes) {
            sb.append(String.format("%02x", b));
        }
        return sb.toString();
    }
}
