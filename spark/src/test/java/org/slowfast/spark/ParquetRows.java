package org.slowfast.spark;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;

/** The rows of a Parquet output directory, read with parquet-hadoop alone (no Spark), part file by part file. */
final class ParquetRows {
    private ParquetRows() {}

    static List<Group> read(Path dir) throws IOException {
        List<Group> rows = new ArrayList<>();
        List<Path> parts;
        try (Stream<Path> files = Files.list(dir)) {
            parts = files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted().toList();
        }
        for (Path part : parts) {
            try (ParquetReader<Group> reader = ParquetReader.builder(new GroupReadSupport(),
                    new org.apache.hadoop.fs.Path(part.toUri())).withConf(new Configuration()).build()) {
                for (Group g = reader.read(); g != null; g = reader.read()) {
                    rows.add(g);
                }
            }
        }
        return rows;
    }

    static boolean isNull(Group row, String field) {
        return row.getFieldRepetitionCount(field) == 0;
    }

    /** An array<float> column (Spark's three-level list: field / list / element). */
    static float[] floats(Group row, String field) {
        return floats(row.getGroup(field, 0));
    }

    static float[] floats(Group list) {
        float[] out = new float[list.getFieldRepetitionCount("list")];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.getGroup("list", i).getFloat("element", 0);
        }
        return out;
    }

    /** An array<array<float>> column. */
    static float[][] floatRows(Group row, String field) {
        Group outer = row.getGroup(field, 0);
        float[][] out = new float[outer.getFieldRepetitionCount("list")][];
        for (int i = 0; i < out.length; i++) {
            out[i] = floats(outer.getGroup("list", i).getGroup("element", 0));
        }
        return out;
    }
}
