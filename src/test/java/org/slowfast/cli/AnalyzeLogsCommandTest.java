package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code analyze-logs cal_train_time} against hand-computed times, and plot_curve's defaults. */
class AnalyzeLogsCommandTest {
    static final String TIMES = "src/test/resources/train/times.log.json";

    /**
     * Epoch times 0.9 0.2 0.4 | 0.5 0.5 0.3 | 0.1 0.2 0.2. Without each epoch's first value the epoch means are
     * 0.3, 0.4, 0.2: std sqrt((0 + 0.01 + 0.01) / 3) = 0.0816, mean of the six values 1.8 / 6 = 0.3.
     */
    @Test
    void calTrainTimeAsMmaction2PrintsIt() {
        CliRun r = CliRun.of("analyze-logs", "cal_train_time", TIMES);
        assertEquals(0, r.code(), r.err());
        assertEquals(String.join("\n",
                "-----Analyze train time of " + TIMES + "-----",
                "slowest epoch 2, average time is 0.4000",
                "fastest epoch 3, average time is 0.2000",
                "time std over epochs is 0.0816",
                "average iter time: 0.3000 s/iter",
                "", ""), r.out());
    }

    /** All values: means 1.5/3, 1.3/3, 0.5/3; std 0.1440; mean 3.3 / 9 = 0.3667. */
    @Test
    void calTrainTimeWithOutliers() {
        CliRun r = CliRun.of("analyze-logs", "cal_train_time", TIMES, "--include-outliers");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("slowest epoch 1, average time is 0.5000\n"
                + "fastest epoch 3, average time is 0.1667\n"
                + "time std over epochs is 0.1440\n"
                + "average iter time: 0.3667 s/iter\n"), r.out());
    }

    @Test
    void logWithoutTimesIsOneErrorLine(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("x.log.json");
        Files.writeString(log, "{\"mode\": \"train\", \"epoch\": 1, \"iter\": 1, \"time\": 0.5}\n");
        CliRun r = CliRun.of("analyze-logs", "cal_train_time", log.toString());
        assertEquals(2, r.code());
        assertTrue(r.err().startsWith("error: " + log + ": no epoch has two lines with 'time'"), r.err());
        Path missing = dir.resolve("nope.log.json");
        CliRun none = CliRun.of("analyze-logs", "plot_curve", missing.toString());
        assertEquals(2, none.code());
        assertEquals("error: " + missing + ": no such log file", none.err().strip());
    }

    /** Default key top1_acc, a title, and the image beside the log when --out is left out. */
    @Test
    void plotCurveDefaults(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("20260101_000000.log.json");
        Files.copy(Path.of("src/test/resources/train/two_epochs.log.json"), log);
        CliRun r = CliRun.of("analyze-logs", "plot_curve", log.toString(), "--title", "tiny run");
        assertEquals(0, r.code(), r.err());
        Path png = dir.resolve("20260101_000000_top1_acc.png");
        assertEquals("save curve to: " + png + "\n", r.out());
        BufferedImage img = ImageIO.read(png.toFile());
        assertEquals(960, img.getWidth());
    }
}
