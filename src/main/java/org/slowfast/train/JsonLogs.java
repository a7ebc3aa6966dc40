package org.slowfast.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slowfast.SlowfastException;

/** Reads a {@code .log.json} training log: one JSON object per line (blank lines skipped). */
final class JsonLogs {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonLogs() {}

    static List<JsonNode> read(Path log) {
        List<JsonNode> lines = new ArrayList<>();
        try {
            int no = 0;
            for (String line : Files.readAllLines(log)) {
                no++;
                if (line.isBlank()) {
                    continue;
                }
                try {
                    lines.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new SlowfastException(log + ":" + no + ": not a JSON object");
                }
            }
        } catch (NoSuchFileException e) {
            throw new SlowfastException(log + ": no such log file");
        } catch (IOException e) {
            throw new SlowfastException(log + ": cannot read: " + e.getMessage());
        }
        return lines;
    }
}
