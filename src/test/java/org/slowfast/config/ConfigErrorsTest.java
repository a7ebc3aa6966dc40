package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.cli.SlowfastCommand;
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
    void wrongTypeNamesTheKey() throws IOException {
        String f = config("total_epochs: 3\ndata:\n  videos_per_gpu: many\n");
        String msg = run(2, "print-config", f);
        assertTrue(msg.startsWith("error: " + f + ":3:3: data.videos_per_gpu: wrong type: expected an integer"), msg);
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

    @Test
    void printConfigJsonIsOneObjectOnStdout() throws IOException {
        String f = config("_base_: ../../../configs/_base_/default_runtime.yaml\n".replace("../../../", 
                Path.of("").toAbsolutePath() + "/"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream old = System.out;
        System.setOut(new PrintStream(out));
        try {
            assertEquals(0, SlowfastCommand.commandLine().execute("print-config", f, "--json"));
        } finally {
            System.setOut(old);
        }
        var node = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.toString());
        assertTrue(node.isObject());
        assertEquals(20, node.get("log_config").get("interval").asInt());
    }
}
