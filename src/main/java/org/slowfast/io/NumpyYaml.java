package org.slowfast.io;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.razorvine.pickle.PickleException;
import org.slowfast.SlowfastException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
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

    /**
     * Reads a YAML file into plain values (lists, maps, numbers, strings); numpy arrays become number lists. Aliases
     * (mmcv's {@code *id002} for the dtype of every row) are allowed as the file's size allows, the expanded result
     * is bounded by that size, and a node that contains itself reads {@code "..."}.
     */
    public static Object read(Path file) {
        checkRuns(file);
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            long size = Files.size(file);
            Object tree = new Yaml(new TagTolerant(size)).load(in);
            return new Plain(TorchUnpickler.WORK_PER_BYTE * size + (1 << 20)).convert(tree);
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such file");
        } catch (IOException | RuntimeException e) { // YAMLException, PickleException, a bad !!binary, ...
            String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new SlowfastException(file + ": not readable YAML: " + reason.lines().findFirst().orElse(""));
        }
    }

    /** Refuses, naming the line, a run that SnakeYAML would scan in quadratic time ({@link YamlRuns}). */
    private static void checkRuns(Path file) {
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            YamlRuns.check(in, file.toString(), " or line break");
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": no such file");
        } catch (IOException e) {
            throw new SlowfastException(file + ": not readable YAML: " + e.getMessage());
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

    /** mmcv's numpy nodes as number lists; each node converted once, the tree it expands to bounded. */
    private static final class Plain {
        final long budget;
        final Map<Object, Object> done = new IdentityHashMap<>();
        final Map<Object, Long> sizes = new IdentityHashMap<>();
        final Set<Object> open = Collections.newSetFromMap(new IdentityHashMap<>());

        Plain(long budget) {
            this.budget = budget;
        }

        Object convert(Object o) {
            if (!(o instanceof Map<?, ?> || o instanceof List<?>)) { // a scalar
                return o;
            }
            if (done.containsKey(o)) {
                return done.get(o);
            }
            if (!open.add(o)) {
                return "...";
            }
            long size = 1;
            Object out = numpy(o);
            if (out == null && o instanceof List<?> list) {
                List<Object> copy = new ArrayList<>();
                for (Object item : list) {
                    copy.add(convert(item));
                    size += sizes.getOrDefault(item, 1L);
                }
                out = copy;
            } else if (out == null) {
                out = o; // any other map stays as it is: nothing reads into it
            }
            open.remove(o);
            if (size > budget) {
                throw new PickleException("the YAML expands to more than " + budget + " values through its aliases");
            }
            sizes.put(o, size);
            done.put(o, out);
            return out;
        }

        /** mmcv's numpy node ({@code _reconstruct} with state {@code (1, shape, dtype, fortran, data)}) as values. */
        private static Object numpy(Object o) {
            if (o instanceof Map<?, ?> m && m.get("state") instanceof List<?> s && s.size() == 5
                    && s.get(2) instanceof Map<?, ?> dtype && dtype.get("args") instanceof List<?> args
                    && !args.isEmpty() && s.get(4) instanceof byte[] raw && s.get(1) instanceof List<?> shape
                    && shape.stream().allMatch(d -> d instanceof Number)) {
                String order = dtype.get("state") instanceof List<?> ds && ds.size() > 1 ? String.valueOf(ds.get(1))
                        : "<";
                long[] dims = shape.stream().mapToLong(d -> ((Number) d).longValue()).toArray();
                Object values = TorchUnpickler.numpyArray(String.valueOf(args.get(0)), order, raw, dims,
                        Boolean.TRUE.equals(s.get(3)));
                return values != null ? values : "numpy.ndarray";
            }
            return null;
        }
    }

    /**
     * Python tags (mmcv's numpy nodes) are read as plain nodes; any other global tag (a Java class such as
     * {@code !!javax.script.ScriptEngineManager}) is refused. Sizes are bounded by the file's.
     */
    private static LoaderOptions options(long fileSize) {
        LoaderOptions options = new LoaderOptions();
        options.setTagInspector(tag -> tag.getValue().startsWith("tag:yaml.org,2002:python/"));
        int bound = (int) Math.min(Integer.MAX_VALUE, Math.max(fileSize, options.getCodePointLimit()));
        options.setCodePointLimit(bound);
        options.setMaxAliasesForCollections(bound);
        return options;
    }

    /** SafeConstructor that reads nodes with unknown (Python) tags as their plain map, list or string. */
    private static final class TagTolerant extends SafeConstructor {
        TagTolerant(long fileSize) {
            super(options(fileSize));
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
