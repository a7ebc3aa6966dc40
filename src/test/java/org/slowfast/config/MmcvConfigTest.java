package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.CliRun;

/**
 * Configs as mmcv reads them (issue 11, items 10-15): free top-level variables, every recognizer key MMAction2 0.x
 * knows (refused with one line where it cannot be honoured), Python configs, print-config checking what train and
 * test check, pipeline errors blaming the config, and pipelines without FormatShape.
 */
class MmcvConfigTest {
    static final Path TINY = Path.of("src/test/resources/model/tiny.yaml").toAbsolutePath();
    static final Path E2E = Path.of("src/test/resources/eval/e2e.yaml").toAbsolutePath();
    static final String CHECKPOINT = "src/test/resources/model/tiny_state.pth";

    @TempDir Path dir;

    private Path config(String name, String text) throws IOException {
        return Files.writeString(dir.resolve(name), text);
    }

    /** The one error line of a failed run (exit code 2, no stack trace). */
    private static String error(CliRun r) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
        return r.err().strip();
    }

    @Test
    void topLevelVariablesAreFreeAndKeptButSectionsStayStrict() throws IOException {
        Path f = config("vars.yaml", "_base_: [" + TINY + "]\nclip_len: 32\ndata_root_val: data/val\n"
                + "vtest:\n  frames: [1, 2]\n");
        CliRun r = CliRun.of("print-config", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\nclip_len: 32\n"), r.out());
        assertTrue(r.out().contains("\ndata_root_val: data/val\n"), r.out());
        assertTrue(r.out().contains("\nvtest:\n  frames:\n  - 1\n  - 2\n"), r.out());
        Path bad = config("bad.yaml", "_base_: [" + TINY + "]\ndata:\n  videos_per_gpux: 2\n");
        assertTrue(error(CliRun.of("print-config", bad.toString())).startsWith("error: " + bad
                + ":3:3: data.videos_per_gpux: unknown key 'videos_per_gpux'; accepted keys: "));
    }

    @Test
    void recognizerKeysOfMmaction2AreAccepted() throws IOException {
        Path f = config("keys.yaml", "_base_: [" + TINY + "]\nmodel:\n  test_cfg: null\n"
                + "cudnn_benchmark: true\noutput_config:\n  out: result.json\n"
                + "eval_config:\n  metrics: [top_k_accuracy]\ntrain_cfg: null\ntest_cfg:\n  average_clips: score\n"
                + "fp16: null\nmultigrid: null\n");
        CliRun r = CliRun.of("print-config", f.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\ncudnn_benchmark: true\n"), r.out());
        // MMAction2's build_model passes a top-level test_cfg to the model
        assertEquals("score", LoadedConfig.load(f, List.of()).config().model().testCfg().averageClips());
    }

    @Test
    void testTakesOutputConfigAndEvalConfigAsToolsTestPyDoes() throws IOException {
        Path result = dir.resolve("r.json");
        Path f = config("test.yaml", "_base_: [" + E2E + "]\noutput_config:\n  out: " + result + "\n"
                + "eval_config:\n  metrics: top_k_accuracy\n");
        CliRun r = CliRun.of("test", f.toString(), CHECKPOINT);
        assertEquals(0, r.code(), r.err());
        assertTrue(Files.exists(result));
        assertTrue(r.out().contains("\ntop1_acc: "), r.out());
        Path bad = config("bad.yaml", "_base_: [" + E2E + "]\neval_config:\n  metric: top_k_accuracy\n");
        assertEquals("error: " + bad + ":3:3: eval_config.metric: unknown key 'metric'; accepted keys: metrics",
                error(CliRun.of("print-config", bad.toString())));
    }

    @Test
    void featuresThatCannotBeHonouredAreRefusedWithOneLine() throws IOException {
        Path f = config("fp16.yaml", "_base_: [" + TINY + "]\nfp16:\n  loss_scale: 512.0\n");
        assertEquals("error: " + f + ":2:1: fp16: mixed-precision (fp16) training is not supported; remove the key "
                + "or set it to null", error(CliRun.of("print-config", f.toString())));
        assertEquals("error: --cfg-options fp16.loss_scale=512: fp16: mixed-precision (fp16) training is not "
                + "supported; remove the key or set it to null",
                error(CliRun.of("print-config", TINY.toString(), "--cfg-options", "fp16.loss_scale=512")));
        Path m = config("multigrid.yaml", "_base_: [" + TINY + "]\nmultigrid:\n  long_cycle: true\n");
        assertEquals("error: " + m + ":2:1: multigrid: multigrid training is not supported; remove the key or set "
                + "it to null", error(CliRun.of("print-config", m.toString())));
        Path w = config("workflow.yaml", "_base_: [" + TINY + "]\nworkflow: [[train, 1], [val, 1]]\n");
        assertEquals("error: " + w + ":2:1: workflow: only [('train', N)] is supported, got [[train, 1], [val, 1]]; "
                + "use --validate with the evaluation dict for validation",
                error(CliRun.of("print-config", w.toString())));
        Path both = config("both.yaml", "_base_: [" + TINY + "]\ntest_cfg:\n  average_clips: score\n");
        assertEquals("error: " + both + ":2:1: test_cfg: test_cfg is set both at the top level and in model; keep "
                + "model.test_cfg", error(CliRun.of("print-config", both.toString())));
    }

    @Test
    void pythonConfigsGetTheConversionHint() throws IOException {
        Path py = config("slowfast.py", "model = dict(type='Recognizer3D')\n");
        assertEquals("error: " + py + ": Python configs are not read; convert with mmcv, for example python -c "
                + "\"from mmcv import Config; Config.fromfile('slowfast.py').dump('slowfast.yaml')\"",
                error(CliRun.of("print-config", py.toString())));
    }

    @Test
    void printConfigChecksWhatTrainAndTestCheck() throws IOException {
        Path f = config("poly.yaml", "_base_: [" + TINY + "]\nlr_config:\n  policy: Poly\n");
        String poly = "error: " + f + ":3:3: lr_config.policy: 'Poly' is not supported; accepted: CosineAnnealing, "
                + "cosineannealing, step, Step, fixed, Fixed";
        assertEquals(poly, error(CliRun.of("print-config", f.toString())));
        assertEquals(poly, error(CliRun.of("train", f.toString())));
        Path model = config("model.yaml", "_base_: [" + E2E + "]\nmodel:\n  backbone:\n    speed_ratio: 8\n");
        String speed = "error: " + model + ":4:5: model.backbone.speed_ratio: must not exceed resample_rate (4) since "
                + "the fast path samples every resample_rate // speed_ratio frames";
        assertEquals(speed, error(CliRun.of("print-config", model.toString())));
        assertEquals(speed, error(CliRun.of("test", model.toString(), CHECKPOINT, "--eval", "top_k_accuracy")));
        String image = "error: --cfg-options data.test.type=ImageDataset: data.test.type: 'ImageDataset' is not "
                + "supported; accepted: RawframeDataset, VideoDataset";
        assertEquals(image, error(CliRun.of("print-config", E2E.toString(), "--cfg-options",
                "data.test.type=ImageDataset")));
        assertEquals(image, error(CliRun.of("test", E2E.toString(), CHECKPOINT, "--eval", "top_k_accuracy",
                "--cfg-options", "data.test.type=ImageDataset")));
    }

    /** e2e.yaml with a test pipeline that stops before FormatShape. */
    private Path withoutFormatShape() throws IOException {
        return config("noformat.yaml", "_base_: [" + E2E + "]\ndata:\n  test:\n    pipeline:\n"
                + "      - {type: SampleFrames, clip_len: 8, frame_interval: 1, num_clips: 2, test_mode: true}\n"
                + "      - {type: RawFrameDecode}\n"
                + "      - {type: ThreeCrop, crop_size: 32}\n");
    }

    @Test
    void aPipelineWithoutFormatShapeFailsTestNamingTheConfigKey() throws IOException {
        Path f = withoutFormatShape();
        assertEquals("error: " + f + ":4:5: data.test.pipeline: the pipeline has no FormatShape step, so it gives no "
                + "model input (browse-dataset can show its frames)",
                error(CliRun.of("test", f.toString(), CHECKPOINT, "--eval", "top_k_accuracy")));
    }

    @Test
    void browseDatasetShowsAPipelineWithoutFormatShapeAsDecodedFrames() throws IOException {
        Path out = dir.resolve("frames");
        CliRun r = CliRun.of("browse-dataset", withoutFormatShape().toString(), "--split", "test", "--out",
                out.toString());
        assertEquals(0, r.code(), r.err());
        // 2 clips of 8 frames, three 32x32 crops of each 40x32 frame: 48 frames of 32x32x3
        assertTrue(r.out().contains("\nimgs_shape: [48, 32, 32, 3]\n"), r.out());
        try (var files = Files.list(out)) {
            assertEquals(16, files.filter(p -> p.toString().endsWith(".png")).count());
        }
    }
}
