package org.slowfast.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.cli.SlowfastCommand;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.SampleFrames;
import picocli.CommandLine;

class BenchmarkCommandTest {
    @Test
    void reportsSpeedOfTheTimedVideosAndPeakRss() {
        String[] r = run("benchmark", InferenceModelTest.CONFIG.toString(), "--num-videos", "4", "--warmup", "2",
                "--log-interval", "2");
        assertEquals("0", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        assertEquals("benchmark: tiny_test, input 1x6x3x8x32x32, device cpu(), 4 videos (2 warm-up), model only",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("Done video [4/ 4], fps: "), r[1]);
        assertTrue(lines.get(2).matches("Overall fps: [0-9.]+ video / s \\([0-9.]+ s / video over 2 videos\\)"), r[1]);
        assertTrue(lines.get(3).matches("Peak RSS: [1-9][0-9]* MiB"), r[1]);
    }

    @Test
    void pipelineModeLoadsTheTestVideosCyclically() {
        // 8 videos from a test set of 6: the loader starts over
        String[] r = run("benchmark", TestCommandTest.CONFIG, "--num-videos", "8", "--warmup", "1", "--pipeline");
        assertEquals("0", r[0], r[2]);
        List<String> lines = r[1].lines().toList();
        assertEquals("benchmark: e2e, input 1x6x3x8x32x32, device cpu(), 8 videos (1 warm-up), decoding and "
                + "transforms included", lines.get(0));
        assertTrue(lines.get(2).matches("Overall fps: [0-9.]+ video / s \\([0-9.]+ s / video over 7 videos\\)"), r[1]);
    }

    @Test
    void errorsAreOneLine() {
        String[] r = run("benchmark", InferenceModelTest.CONFIG.toString(), "--num-videos", "5", "--warmup", "5");
        assertEquals("2", r[0]);
        assertEquals("error: --num-videos (5) must exceed --warmup (5)", r[2].strip());
        List<PipelineStep> noCrop = List.of(
                new SampleFrames(8, 1, 1, null, null, null, true, null, null),
                new Resize(List.of(-1.0, 256.0), null, null, null));
        assertEquals("data.test.pipeline: cannot infer the input size; the pipeline ends without a fixed-size crop "
                + "or Resize", assertThrows(SlowfastException.class,
                        () -> TestInputShape.of(noCrop, "data.test.pipeline")).getMessage());
    }

    static String[] run(String... args) {
        PrintStream stdout = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        StringWriter err = new StringWriter();
        try {
            System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
            CommandLine cl = SlowfastCommand.commandLine();
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new String[] {Integer.toString(exit), out.toString(StandardCharsets.UTF_8), err.toString()};
        } finally {
            System.setOut(stdout);
        }
    }
}
