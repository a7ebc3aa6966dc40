package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.SlowfastCommand;
import org.slowfast.io.YamlRuns;
import picocli.CommandLine;

/** Each bad-config path gives one line naming file, key and position, and exit code 2 without a stack trace. */
class ConfigErrorsTest {
    @TempDir Path dir;

    private String run(int expectedCode, String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = SlowfastCommand.commandLine();
        cl.setErr(new PrintWriter(new PrintStream(err), true));
        cl.setOut(new PrintWriter(new PrintStream(new ByteArrayOutputStream()), true));
        assertEquals(expectedCode, cl.execute(args));
        String text = err.toString();
        assertEquals(1, text.lines().count(), text);
        assertFalse(text.contains("\tat "), text);
        return text.strip();
    }

    private String config(String text) throws IOException {
        Path p = dir.resolve("bad.yaml");
        Files.writeString(p, text);
        return p.toString();
    }

    @Test
    void unknownKeyNamesFileLineKeyPathAndAcceptedKeys() throws IOException {
        String f = config("model:\n  cls_head:\n    num_clases: 3\n");
        assertEquals("error: " + f + ":3:5: model.cls_head.num_clases: unknown key 'num_clases'; accepted keys: "
                        + "dropout_ratio, in_channels, init_std, label_smooth_eps, loss_cls, multi_class, num_classes, "
                        + "spatial_type, topk, type",
                run(2, "print-config", f));
    }

    @Test
    void unknownKeyOfAPipelineStepNamesTheStepAndAcceptsType() throws IOException {
        String f = config("data:\n  val:\n    pipeline:\n      - type: SampleFrames\n        clip_len: 4\n"
                + "        clip_lenn: 3\n");
        assertEquals("error: " + f + ":6:9: data.val.pipeline.0.clip_lenn: unknown key 'clip_lenn' for SampleFrames; "
                + "accepted keys: clip_len, frame_interval, keep_tail_frames, num_clips, out_of_bound_opt, start_index, "
                + "temporal_jitter, test_mode, twice_sample, type", run(2, "print-config", f));
    }

    @Test
    void unknownKeyInABaseFileNamesTheBaseFile() throws IOException {
        Path base = dir.resolve("base/runtime.yaml");
        Files.createDirectories(base.getParent());
        Files.writeString(base, "log_config:\n  interval: 20\n  intervall: 5\n");
        String f = config("_base_: base/runtime.yaml\ntotal_epochs: 2\n");
        assertTrue(run(2, "print-config", f).startsWith("error: " + base + ":3:3: log_config.intervall: unknown key"));
    }

    @Test
    void wrongTypeNamesTheKeyTheExpectedTypeAndTheValue() throws IOException {
        String f = config("total_epochs: 3\ndata:\n  videos_per_gpu: many\n");
        assertEquals("error: " + f + ":3:3: data.videos_per_gpu: wrong type: expected an integer, got the string 'many'",
                run(2, "print-config", f));
        f = config("optimizer:\n  lr: [0.1]\n");
        assertEquals("error: " + f + ":2:3: optimizer.lr: wrong type: expected a number, got the list [0.1]",
                run(2, "print-config", f));
        f = config("model:\n  backbone:\n    slow_pathway:\n      inflate: 1\n");
        assertEquals("error: " + f + ":4:7: model.backbone.slow_pathway.inflate: wrong type: expected a list, "
                + "got the number 1", run(2, "print-config", f));
    }

    @Test
    void wrongTypeFromCfgOptionsNamesTheOption() throws IOException {
        String f = config("total_epochs: 3\n");
        assertEquals("error: --cfg-options total_epochs=[1]: total_epochs: wrong type: expected an integer, "
                + "got the list [1]", run(2, "print-config", f, "--cfg-options", "total_epochs=[1]"));
    }

    @Test
    void jsonSyntaxErrorHasLineAndColumn() throws IOException {
        Path p = dir.resolve("bad.json");
        Files.writeString(p, "{\"total_epochs\": 3,\n \"data\": }\n");
        assertEquals("error: " + p + ":2:10: JSON syntax error: Unexpected character ('}' (code 125)): expected a value",
                run(2, "print-config", p.toString()));
    }

    @Test
    void omnisourceIsAcceptedOnlyWhenOff() throws IOException {
        assertEquals("omnisource: false\nmodule_hooks: []\n",
                printConfig("print-config", config("omnisource: false\nmodule_hooks: []\n")));
        String f = config("omnisource: true\n");
        assertEquals("error: " + f + ":1:1: omnisource: OmniSource training is not supported; set it to false",
                run(2, "print-config", f));
    }

    @Test
    void baseCycleIsReported() throws IOException {
        Files.writeString(dir.resolve("a.yaml"), "_base_: b.yaml\n");
        Files.writeString(dir.resolve("b.yaml"), "_base_: a.yaml\n");
        assertEquals("error: " + dir.resolve("b.yaml") + ": _base_ cycle through " + dir.resolve("a.yaml"),
                run(2, "print-config", dir.resolve("a.yaml").toString()));
    }

    @Test
    void debugAddsTheStackTrace() throws IOException {
        String f = config("total_epochs: x\n");
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        CommandLine cl = SlowfastCommand.commandLine();
        cl.setErr(new PrintWriter(new PrintStream(err), true));
        try {
            assertEquals(2, cl.execute("--debug", "print-config", f));
        } finally {
            printConfig("--debug=false", "print-config", config("total_epochs: 1\n"));
        }
        assertTrue(err.toString().startsWith("error: " + f + ":1:1: total_epochs: wrong type"), err.toString());
        assertTrue(err.toString().contains("\tat "), err.toString());
    }

    @Test
    void unknownPipelineTypeListsTheKnownOnes() throws IOException {
        String f = config("data:\n  train:\n    pipeline:\n      - {type: SampleFrames, clip_len: 4}\n"
                + "      - {type: Sharpen}\n");
        String msg = run(2, "print-config", f);
        assertTrue(msg.startsWith("error: " + f + ":5:9: data.train.pipeline.1: unknown type 'Sharpen'; accepted types: "),
                msg);
        assertTrue(msg.contains("SampleFrames") && msg.contains("DecordInit"), msg);
    }

    @Test
    void missingBaseFileNamesIt() throws IOException {
        String f = config("_base_: ../nowhere/base.yaml\n");
        String msg = run(2, "print-config", f);
        assertTrue(msg.startsWith("error: " + f + ":1:1: _base_ file not found: ../nowhere/base.yaml"), msg);
    }

    @Test
    void yamlSyntaxErrorHasLineAndColumn() throws IOException {
        String f = config("a: 1\nb: [1, 2\nc: 3\n");
        String msg = run(2, "print-config", f);
        assertTrue(msg.matches("error: " + java.util.regex.Pattern.quote(f) + ":\\d+:\\d+: YAML syntax error: .*"), msg);
    }

    @Test
    void badCfgOptionIsOneLine() throws IOException {
        String f = config("a: 1\n");
        String msg = run(2, "print-config", f, "--cfg-options", "novalue");
        assertEquals("error: --cfg-options: expected KEY=VALUE, got 'novalue'", msg);
    }

    @Test
    void missingConfigFile() {
        assertEquals("error: " + dir.resolve("none.yaml") + ": config file not found",
                run(2, "print-config", dir.resolve("none.yaml").toString()));
    }

    private static String printConfig(String... args) {
        StringWriter out = new StringWriter();
        PrintStream oldOut = System.out;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        System.setOut(new PrintStream(stray));
        try {
            assertEquals(0, SlowfastCommand.commandLine().setOut(new PrintWriter(out)).execute(args));
        } finally {
            System.setOut(oldOut);
        }
        assertEquals("", stray.toString());
        return out.toString();
    }

    @Test
    void printConfigJsonIsOneObjectOnStdout() throws IOException {
        String seed = "configs/recognition/slowfast/slowfast_r50_16x8x1_22e_sthv1_rgb.yaml";
        String json = printConfig("print-config", seed, "--json", "--cfg-options", "data.videos_per_gpu=2");
        JsonNode node = new ObjectMapper().enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).readTree(json);
        assertTrue(node.isObject());
        assertEquals(2, node.get("data").get("videos_per_gpu").asInt());
        assertEquals(510, node.get("lr_config").get("warmup_iters").asInt());
        assertEquals(4, node.get("data").get("train").get("pipeline").get(4).get("flip_label_map").get("2").asInt());
    }

    @Test
    void printedYamlAndJsonLoadBackToTheSameTree() throws IOException {
        String seed = "configs/recognition/slowfast/slowfast_r50_video_4x16x1_256e_kinetics400_rgb.yaml";
        Map<String, Object> merged = LoadedConfig.load(Path.of(seed), List.of()).tree();
        Path yaml = dir.resolve("printed.yaml");
        Files.writeString(yaml, printConfig("print-config", seed));
        assertEquals(merged, LoadedConfig.load(yaml, List.of()).tree());
        Path json = dir.resolve("printed.json");
        Files.writeString(json, printConfig("print-config", seed, "--json"));
        assertEquals(merged, LoadedConfig.load(json, List.of()).tree());
    }

    // Hostile and careless configs (issue 19): each ends in one line, in well under a second.

    @Test
    void aYamlAliasInsideItsOwnNodeIsACycle() throws IOException {
        String f = config("a: &a [1, *a]\n");
        assertEquals("error: " + f + ":1:4: a.1: a YAML alias refers to a node that contains it", run(2, "print-config", f));
        f = config("model: &m\n  backbone: *m\n");
        assertEquals("error: " + f + ":1:8: model.backbone: a YAML alias refers to a node that contains it",
                run(2, "print-config", f));
    }

    @Test
    void aPythonTupleTagOnAScalarIsOneLine() throws IOException {
        String f = config("total_epochs: !!python/tuple 3\n");
        assertEquals("error: " + f + ":1:15: YAML syntax error: !!python/tuple needs a sequence, not a scalar",
                run(2, "print-config", f));
    }

    @Test
    void aKeyThatIsAMappingIsOneLine() throws IOException {
        assertEquals("error: --cfg-options optimizer={type: SGD, lr}: 0.1}:1:1: optimizer: a key must be a name or a "
                + "number, not a mapping", run(2, "print-config", config("a: 1\n"), "--cfg-options",
                "optimizer={type: SGD, lr}: 0.1}"));
        String f = config("model:\n  ? [a, b]\n  : 1\n");
        assertEquals("error: " + f + ":2:5: model: a key must be a name or a number, not a sequence",
                run(2, "print-config", f));
    }

    @Test
    void anAliasCycleInACfgOptionIsRefused() throws IOException {
        assertEquals("error: --cfg-options a=&x [*x]:1:1: a.0: a YAML alias refers to a node that contains it",
                run(2, "print-config", config("a: 1\n"), "--cfg-options", "a=&x [*x]"));
    }

    @Test
    void nestedAliasesThatExpandToMillionsAreRefused() throws IOException {
        StringBuilder text = new StringBuilder("l0: &l0 [1, 2, 3]\n");
        for (int i = 1; i < 16; i++) {
            text.append("l").append(i).append(": &l").append(i).append(" [*l").append(i - 1).append(", *l")
                    .append(i - 1).append(", *l").append(i - 1).append("]\n");
        }
        String f = config(text.toString());
        assertEquals("error: " + f + ": YAML aliases expand the config beyond 100000 values", run(2, "print-config", f));
    }

    @Test
    void deepNestingIsRefused() throws IOException {
        String f = config("a: " + "[".repeat(200) + "]".repeat(200) + "\n");
        assertEquals("error: " + f + ": YAML syntax error: Nesting Depth exceeded max 50", run(2, "print-config", f));
    }

    @Test
    void aLongRunWithoutSpacesIsRefusedBeforeSnakeYamlScansIt() throws IOException {
        // SnakeYAML's scan of one such run is quadratic in its length: 1 MB took 5 s, 20 MB hours
        String f = config("total_epochs: 1\nwork_dir: \"" + "a".repeat(YamlRuns.MAX_RUN + 1) + "\"\n");
        assertEquals("error: " + f + ":2: more than 65536 characters without a space; config values are short (is this "
                + "a config?)", run(2, "print-config", f));
        f = config("seed: " + "9".repeat(YamlRuns.MAX_RUN + 1) + "\n");
        assertTrue(run(2, "print-config", f).startsWith("error: " + f + ":1: more than 65536 characters"));
    }

    @Test
    void aConfigOverOneMebibyteIsRefusedUnread() throws IOException {
        String f = config("a: 1\n" + "# padding padding padding\n".repeat(50_000));
        assertEquals("error: " + f + ": the config is larger than 1024 KiB; configs are a few KB",
                run(2, "print-config", f));
        assertEquals("error: /dev/zero: the config is larger than 1024 KiB; configs are a few KB",
                run(2, "print-config", "/dev/zero"));
    }

    @Test
    void aBinaryConfigIsNotUtf8() throws IOException {
        Path f = dir.resolve("binary.yaml");
        Files.write(f, new byte[] {'a', ':', ' ', (byte) 0xff, (byte) 0xfe, '\n'});
        assertEquals("error: " + f + ": cannot read config: not UTF-8 text", run(2, "print-config", f.toString()));
    }

    @Test
    void hugeNumbersAreOneLine() throws IOException {
        String f = config("total_epochs: 99999999999999999999999\n");
        assertTrue(run(2, "print-config", f).startsWith("error: " + f + ":1:1: total_epochs: Numeric value"));
    }

    @Test
    void aBaseThatParsesButIsNoConfigIsNamed() throws IOException {
        Files.writeString(dir.resolve("shadow"), "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        String f = config("_base_: shadow\ntotal_epochs: 1\n");
        assertEquals("error: " + dir.resolve("shadow") + ":1:1: not a config: the top-level key "
                + "'root:*:19000:0:99999:7::' is not a Python name, as every key of an mmcv config is",
                run(2, "print-config", f));
    }

    private static final String TINY = "configs/recognition/slowfast/slowfast_tiny_synthetic.yaml";

    /** The error of {@code command TINY --cfg-options option}, after the option's own prefix. */
    private String tinyError(String command, String option) {
        String prefix = "error: --cfg-options " + option + ": ";
        String msg = run(2, command, TINY, "--cfg-options", option);
        assertTrue(msg.startsWith(prefix), msg);
        return msg.substring(prefix.length());
    }

    @Test
    void countsAndIntervalsBelowOneAreRefused() {
        assertEquals("total_epochs: must be at least 1, got 0 (nothing would be trained)",
                tinyError("print-config", "total_epochs=0"));
        assertEquals("total_epochs: must be at least 1, got -1 (nothing would be trained)",
                tinyError("print-config", "total_epochs=-1"));
        for (String key : List.of("checkpoint_config.interval", "log_config.interval", "evaluation.interval",
                "precise_bn.interval", "precise_bn.num_iters")) {
            assertEquals(key + ": must be at least 1, got 0", tinyError("print-config", key + "=0"));
        }
        assertEquals("evaluation.start: must be at least 0, got -2", tinyError("print-config", "evaluation.start=-2"));
    }

    @Test
    void sgdValuesAreRefusedAsTorchOptimSgdRefusesThem() {
        assertEquals("optimizer.momentum: Invalid momentum value: -7.0 (torch.optim.SGD refuses a negative momentum)",
                tinyError("print-config", "optimizer.momentum=-7"));
        assertEquals("optimizer.lr: Invalid learning rate: -0.1 (torch.optim.SGD refuses a negative lr)",
                tinyError("print-config", "optimizer.lr=-0.1"));
        assertEquals("optimizer.weight_decay: Invalid weight_decay value: -1.0E-4 (torch.optim.SGD refuses a "
                + "negative weight_decay)", tinyError("print-config", "optimizer.weight_decay=-1e-4"));
        assertEquals("optimizer.nesterov: Nesterov momentum requires a momentum and zero dampening, got momentum 0.0 "
                + "and dampening 0.0", run(2, "print-config", TINY, "--cfg-options", "optimizer.nesterov=true",
                "optimizer.momentum=0").replaceFirst("^error: --cfg-options [^ ]*: ", ""));
        assertEquals("optimizer.lr: must be a finite number, got NaN", tinyError("print-config", "optimizer.lr=.nan"));
        assertEquals("optimizer.lr: must be a finite number, got Infinity", tinyError("print-config", "optimizer.lr=1e999"));
        // torch accepts a momentum of 1 or more (the velocity then never decays), and so does this toolkit
        assertEquals(0, SlowfastCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
                .execute("print-config", TINY, "--cfg-options", "optimizer.momentum=1.5"));
    }

    @Test
    void gradClipNormsMustBeFiniteAndPositive() {
        assertEquals("optimizer_config.grad_clip.max_norm: must be a finite number, got NaN",
                tinyError("print-config", "optimizer_config.grad_clip.max_norm=.nan"));
        assertEquals("optimizer_config.grad_clip.max_norm: must be a finite number, got Infinity",
                tinyError("print-config", "optimizer_config.grad_clip.max_norm=.inf"));
        assertEquals("optimizer_config.grad_clip.max_norm: must be positive, got 0.0",
                tinyError("print-config", "optimizer_config.grad_clip.max_norm=0"));
        assertEquals("optimizer_config.grad_clip.norm_type: must be positive or inf, got NaN",
                tinyError("print-config", "optimizer_config.grad_clip.norm_type=.nan"));
    }

    @Test
    void normalizeStdMustBePositive() throws IOException {
        String f = config("data:\n  test:\n    type: RawframeDataset\n    pipeline:\n"
                + "      - {type: Normalize, mean: [1, 2, 3], std: [1, 0, 1]}\n");
        assertEquals("error: " + f + ":5:53: data.test.pipeline.0.std.1: must be a positive finite number, got 0.0 "
                + "(the clip is divided by it)", run(2, "print-config", f));
        f = config("test_pipeline:\n  - {type: Normalize, mean: [1, 2, .nan], std: [1, 1, 1]}\n");
        assertEquals("error: " + f + ":2:36: test_pipeline.0.mean.2: must be a finite number, got NaN",
                run(2, "print-config", f));
    }

    @Test
    void aBatchThatCannotBeAllocatedNamesClipLen() {
        String msg = tinyError("print-config", "data.test.pipeline.0.clip_len=1000000000");
        assertEquals("data.test.pipeline.0.clip_len: one test batch needs at least 2.07e+13 floats (1 videos x 1 crops "
                + "x 3 channels x 3000000000 frames x 2304 pixels, 75 TiB), more than a Java array holds (2^31)", msg);
        msg = tinyError("print-config", "data.videos_per_gpu=100000000");
        assertTrue(msg.startsWith("data.videos_per_gpu: one train batch needs at least 1.11e+13 floats (100000000 "
                + "videos x 1 crops x 3 channels x 16 frames x 2304 pixels, "), msg);
        // the seed's own test batch (3 clips x 3 x 16 x 48 x 48 floats, 1.3 MiB) is accepted
        assertEquals(0, SlowfastCommand.commandLine().setOut(new PrintWriter(new StringWriter()))
                .execute("print-config", TINY));
    }

    @Test
    void aModelWhoseParametersCannotFitNamesTheKey() {
        String msg = tinyError("info", "model.cls_head.num_classes=1000000000");
        assertTrue(msg.startsWith("model.cls_head.num_classes: the model's parameters need at least 1.4 TiB "
                + "(3.85e+11 floats, 3.85e+11 of them in the head's fc), more than this machine's "), msg);
        msg = run(2, "info", TINY, "--cfg-options", "model.backbone.slow_pathway.base_channels=100000",
                "model.backbone.fast_pathway.base_channels=50000", "model.cls_head.in_channels=4800000");
        assertTrue(msg.contains(": model.backbone.slow_pathway.base_channels: the model's parameters need at least "),
                msg);
    }
}
