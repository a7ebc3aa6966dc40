package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The seed configs against MMAction2 itself: {@code src/test/resources/config/mmaction2/} holds each seed as MMAction2
 * 0.x's Python config files evaluate and merge ({@code tools/fixtures/mmaction2_configs.py}), once as JSON and once
 * as mmcv's {@code Config.dump} writes YAML ({@code !!python/tuple} and PyYAML anchors included).
 */
class Mmaction2ParityTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path FIXTURES = Path.of("src/test/resources/config/mmaction2");

    private static JsonNode merged(Path config) {
        return JSON.valueToTree(LoadedConfig.load(config, List.of()).tree());
    }

    @ParameterizedTest
    @MethodSource("org.slowfast.config.SeedConfigsTest#seeds")
    void seedMergesToMmaction2sDictAndMmaction2sDumpsLoadUnchanged(String name) throws IOException {
        JsonNode expected = JSON.readTree(FIXTURES.resolve(name + ".json").toFile());
        for (Path config : List.of(Path.of("configs/recognition/slowfast/" + name + ".yaml"),
                FIXTURES.resolve(name + ".yaml"), FIXTURES.resolve(name + ".json"))) {
            assertEquals("", firstDifference(expected, merged(config), ""), config.toString());
        }
    }

    /** "" when equal, else the first differing key path with both values. */
    private static String firstDifference(JsonNode expected, JsonNode actual, String path) {
        if (expected.isObject() && actual.isObject()) {
            Set<String> keys = new TreeSet<>();
            expected.fieldNames().forEachRemaining(keys::add);
            actual.fieldNames().forEachRemaining(keys::add);
            for (String k : keys) {
                String d = firstDifference(expected.path(k), actual.path(k), path + "." + k);
                if (!d.isEmpty()) {
                    return d;
                }
            }
            return "";
        }
        if (expected.isArray() && actual.isArray() && expected.size() == actual.size()) {
            for (int i = 0; i < expected.size(); i++) {
                String d = firstDifference(expected.get(i), actual.get(i), path + "." + i);
                if (!d.isEmpty()) {
                    return d;
                }
            }
            return "";
        }
        return expected.equals(actual) ? "" : path + ": expected " + expected + " but was " + actual;
    }
}
