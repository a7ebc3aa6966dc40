package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.SlowfastCommand;

/** {@code analyze-logs plot_curve} on a two-epoch log; unknown keys and bad legends are one-line errors. */
class CurvePlotTest {
    static final String LOG = "src/test/resources/train/two_epochs.log.json";

    @Test
    void plotsTrainAndValKeys(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("c.png");
        int code = SlowfastCommand.commandLine().execute("analyze-logs", "plot_curve", LOG, "--keys", "loss_cls",
                "top1_acc", "mean_class_accuracy", "--out", out.toString());
        assertEquals(0, code);
        BufferedImage img = ImageIO.read(out.toFile());
        assertEquals(960, img.getWidth());
    }

    @Test
    void unknownKeyAndLegendCountAreUserErrors(@TempDir Path dir) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        var cl = SlowfastCommand.commandLine();
        cl.setErr(new java.io.PrintWriter(new PrintStream(err), true));
        assertEquals(2, cl.execute("analyze-logs", "plot_curve", LOG, "--keys", "nope", "--out",
                dir.resolve("x.png").toString()));
        assertTrue(err.toString().startsWith("error: " + LOG + ": no line has the key 'nope'"), err.toString());
        assertEquals(2, SlowfastCommand.commandLine().execute("analyze-logs", "plot_curve", LOG, "--keys", "loss",
                "--legend", "a", "b", "--out", dir.resolve("y.png").toString()));
    }
}
