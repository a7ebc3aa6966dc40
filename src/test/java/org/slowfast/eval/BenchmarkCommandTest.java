package org.slowfast.eval;

import org.slowfast.cli.CliRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.SampleFrames;

class BenchmarkCommandTest {
    @Test
    void reportsSpeedOfTheTimedVideosAndPeakRss() {
        CliRun r = CliRun.of("benchmark", InferenceModelTest.CONFIG.toString(), "--num-videos", "4", "--warmup", "2",
                "--log-interval", "2");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("benchmark: tiny_test, input 1x6x3x8x32x32, device cpu(), 4 videos (2 warm-up), model only",
                lines.get(0));
        assertTrue(lines.get(1).startsWith("Done video [4/ 4], fps: "), r.out());
        assertTrue(lines.get(2).matches("Overall fps: [0-9.]+ video / s \\([0-9.]+ s / video over 2 videos\\)"), r.out());
        assertTrue(lines.get(3).matches("Peak RSS: [1-9][0-9]* MiB"), r.out());
    }

    @Test
    void pipelineModeLoadsTheTestVideosCyclically() {
        // 8 videos from a test set of 6: the loader starts over
        CliRun r = CliRun.of("benchmark", TestCommandTest.CONFIG, "--num-videos", "8", "--warmup", "1", "--pipeline");
        assertEquals(0, r.code(), r.err());
        List<String> lines = r.out().lines().toList();
        assertEquals("benchmark: e2e, input 1x6x3x8x32x32, device cpu(), 8 videos (1 warm-up), decoding and "
                + "transforms included", lines.get(0));
        assertTrue(lines.get(2).matches("Overall fps: [0-9.]+ video / s \\([0-9.]+ s / video over 7 videos\\)"), r.out());
    }

    @Test
    void errorsAreOneLine() {
        CliRun r = CliRun.of("benchmark", InferenceModelTest.CONFIG.toString(), "--num-videos", "5", "--warmup", "5");
        assertEquals(2, r.code());
        assertEquals("error: --num-videos (5) must exceed --warmup (5)", r.err().strip());
        List<PipelineStep> noCrop = List.of(
                new SampleFrames(8, 1, 1, null, null, null, true, null, null),
                new Resize(List.of(-1.0, 256.0), null, null, null));
        assertEquals("data.test.pipeline: cannot infer the input size; the pipeline ends without a fixed-size crop "
                + "or Resize", assertThrows(SlowfastException.class,
                        () -> TestInputShape.of(noCrop, "data.test.pipeline")).getMessage());
    }

    @Test
    void trainModeReportsIterationsAsJson() throws Exception {
        CliRun r = CliRun.of("--threads", "2", "benchmark", "src/test/resources/train/tiny_train.yaml", "--train",
                "--batch", "3", "--shape", "8", "32", "32", "--iters", "2", "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(List.of("mode", "batch", "s_per_iter", "clips_per_s", "threads", "replicas", "peak_rss_gb"),
                List.copyOf(iterable(json.fieldNames())));
        assertEquals("train", json.get("mode").asText());
        assertEquals(3, json.get("batch").asInt());
        assertEquals(2, json.get("replicas").asInt());
        assertEquals(2, json.get("threads").asInt());
        assertEquals(3 / json.get("s_per_iter").asDouble(), json.get("clips_per_s").asDouble(), 1e-6);
        assertTrue(json.get("peak_rss_gb").asDouble() > 0);
    }

    @Test
    void trainModeTakesTheInputShapeThroughARepeatDataset(@TempDir Path dir) throws Exception {
        Path cfg = Files.writeString(dir.resolve("repeat.yaml"), String.join("\n",
                "_base_: " + Path.of("configs/recognition/slowfast/slowfast_tiny_synthetic.yaml").toAbsolutePath(),
                "data:",
                "  train:",
                "    _delete_: true",
                "    type: RepeatDataset",
                "    times: 2",
                "    dataset:",
                "      type: RawframeDataset",
                "      ann_file: list.txt",
                "      data_prefix: rawframes",
                "      pipeline:",
                "        - {type: SampleFrames, clip_len: 4, frame_interval: 2, num_clips: 1}",
                "        - {type: RawFrameDecode}",
                "        - {type: Resize, scale: [24, 16], keep_ratio: false}",
                "        - {type: FormatShape, input_format: NCTHW}",
                "        - {type: Collect, keys: [imgs, label], meta_keys: []}",
                "        - {type: ToTensor, keys: [imgs, label]}",
                ""));
        CliRun r = CliRun.of("--threads", "1", "benchmark", cfg.toString(), "--train", "--batch", "2", "--iters", "1",
                "--warmup", "0");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("input 2x1x3x4x16x24"), r.out());
    }

    @Test
    void inferenceModeReportsJson() throws Exception {
        CliRun r = CliRun.of("--threads", "1", "benchmark", InferenceModelTest.CONFIG.toString(), "--num-videos", "3",
                "--warmup", "1", "--json");
        assertEquals(0, r.code(), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals("inference", json.get("mode").asText());
        assertEquals(2, json.get("videos").asInt());
        assertEquals(1, json.get("threads").asInt());
        assertTrue(json.get("s_per_video").asDouble() > 0);
    }

    @Test
    void fusedJsonIsOnlyTheJsonObject() throws Exception {
        CliRun r = CliRun.of("--threads", "1", "benchmark", InferenceModelTest.CONFIG.toString(), "--num-videos", "2",
                "--warmup", "1", "--fuse-conv-bn", "--json");
        assertEquals(0, r.code(), r.err());
        assertEquals("inference", new ObjectMapper().readTree(r.out()).get("mode").asText(), r.out());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
