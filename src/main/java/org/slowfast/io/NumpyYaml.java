package org.slowfast.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slowfast.SlowfastException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * YAML results files, as mmcv's {@code dump(obj, 'x.yaml')}. Reading takes plain number lists and also what mmcv
 * writes for numpy arrays ({@code yaml.dump} with {@code yaml.Dumper}: {@code !!python/object/apply:} tags holding
 * the dtype and {@code !!binary} data); no Python tag is ever executed, tagged nodes are read as plain maps and lists.
 * Writing gives plain nested lists of floats, which {@code yaml.safe_load} reads.
 */
public final class NumpyYaml {
    private NumpyYaml() {}

    /** Writes one flow list of floats per row, numbers as Python's {@code repr} spells them. */
    public static void writeRows(Path file, List<float[]> rows) {
        StringBuilder sb = new StringBuilder();
        for (float[] row : rows) {
            sb.append("- [");
            for (int c = 0; c < row.length; c++) {
                sb.append(c == 0 ? "" : ", ").append(pythonFloat(row[c]));
            }
            sb.append("]\n");
        }
        if (rows.isEmpty()) {
            sb.append("[]\n");
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    /** Reads a YAML file into plain values (lists, maps, numbers, strings); numpy arrays become number lists. */
    public static Object read(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            return plain(new Yaml(new TagTolerant()).load(in));
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such file");
        } catch (IOException | YAMLException e) {
            throw new SlowfastException(file + ": not readable YAML: " + e.getMessage().lines().findFirst().orElse(""));
        }
    }

    /** A YAML float that PyYAML reads back as a float ({@code 1e-07} needs the dot and the exponent sign). */
    static String pythonFloat(float v) {
        if (Float.isNaN(v)) {
            return ".nan";
        }
        if (Float.isInfinite(v)) {
            return v > 0 ? ".inf" : "-.inf";
        }
        String s = Double.toString(v); // the exact float32 value, as numpy's tolist() gives it to PyYAML
        int e = s.indexOf('E');
        return e < 0 ? s : s.substring(0, e) + "e" + (s.charAt(e + 1) == '-' ? "" : "+") + s.substring(e + 1);
    }

    /** mmcv's numpy node ({@code _reconstruct} with state {@code (1, shape, dtype, fortran, data)}) as values. */
    private static Object plain(Object o) {
        if (o instanceof Map<?, ?> m && m.get("state") instanceof List<?> s && s.size() == 5
                && s.get(2) instanceof Map<?, ?> dtype && dtype.get("args") instanceof List<?> args && !args.isEmpty()
                && s.get(4) instanceof byte[] raw && s.get(1) instanceof List<?> shape) {
            String order = dtype.get("state") instanceof List<?> ds && ds.size() > 1 ? String.valueOf(ds.get(1)) : "<";
            long[] dims = shape.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
            Object values = TorchUnpickler.numpyArray(String.valueOf(args.get(0)), order, raw, dims,
                    Boolean.TRUE.equals(s.get(3)));
            return values != null ? values : "numpy.ndarray";
        }
        if (o instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            list.forEach(item -> out.add(plain(item)));
            return out;
        }
        return o;
    }

    /** Global (Python) tags are allowed: {@link TagTolerant} never instantiates a class for them. */
    private static LoaderOptions options() {
        LoaderOptions options = new LoaderOptions();
        options.setTagInspector(tag -> true);
        return options;
    }

    /** SafeConstructor that reads nodes with unknown (Python) tags as their plain map, list or string. */
    private static final class TagTolerant extends SafeConstructor {
        TagTolerant() {
            super(options());
            yamlConstructors.put(null, new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof MappingNode m) {
                        return constructMapping(m);
                    }
                    if (node instanceof SequenceNode s) {
                        return constructSequence(s);
                    }
                    return constructScalar((ScalarNode) node);
                }
            });
        }
    }
}
