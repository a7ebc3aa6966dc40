package org.slowfast.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slowfast.SlowfastException;
import org.slowfast.io.YamlRuns;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.ConstructorException;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The untyped config tree with mmcv's semantics: YAML (or JSON) files, {@code _base_} inheritance, recursive dict
 * merge, {@code _delete_}, and {@code --cfg-options}. Every key path remembers where it was last set, so that errors
 * can name the file, line and column.
 */
public final class ConfigTree {
    /** Where a key was set: a file with line and column (1-based), or a command-line option. */
    public record Origin(String source, int line, int column) {
        @Override
        public String toString() {
            return line > 0 ? source + ":" + line + ":" + column : source;
        }
    }

    private static final String BASE = "_base_";
    private static final String DELETE = "_delete_";
    private static final Tag PYTHON_TUPLE = new Tag("tag:yaml.org,2002:python/tuple");
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    /** Bounds on a config file (the largest MMAction2 config dumped by mmcv is about 10 KB, 6 levels deep). */
    static final int MAX_CONFIG_BYTES = 1 << 20;
    static final int MAX_ALIASES = 50;
    static final int MAX_NESTING = 50;
    static final int MAX_EXPANDED_NODES = 100_000;

    private final Map<String, Object> root;
    private final Map<String, Origin> origins;

    private ConfigTree(Map<String, Object> root, Map<String, Origin> origins) {
        this.root = root;
        this.origins = origins;
    }

    public Map<String, Object> root() {
        return root;
    }

    /** The origin of a dotted key path, or of its nearest ancestor that has one. */
    public Origin originOf(String keyPath) {
        for (String p = keyPath; !p.isEmpty(); p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "") {
            Origin o = origins.get(p);
            if (o != null) {
                return o;
            }
        }
        return null;
    }

    /** Loads a file and its {@code _base_} chain (paths relative to the including file), merged as mmcv does. */
    public static ConfigTree load(Path file) {
        return load(file.toAbsolutePath().normalize(), new ArrayList<>());
    }

    private static ConfigTree load(Path file, List<Path> chain) {
        if (chain.contains(file)) {
            throw new SlowfastException(chain.get(chain.size() - 1) + ": _base_ cycle through " + file);
        }
        chain.add(file);
        Map<String, Object> own = new LinkedHashMap<>();
        Map<String, Origin> ownOrigins = new LinkedHashMap<>();
        parse(file, own, ownOrigins);

        Object bases = own.remove(BASE);
        Map<String, Object> merged = new LinkedHashMap<>();
        Map<String, Origin> origins = new LinkedHashMap<>();
        for (String base : baseList(bases, file, ownOrigins)) {
            Path basePath = file.getParent().resolve(base).normalize();
            if (!Files.isRegularFile(basePath)) {
                throw new SlowfastException(
                        where(file, ownOrigins.get(BASE)) + ": _base_ file not found: " + base + " (" + basePath + ")");
            }
            ConfigTree b = load(basePath, chain);
            mergeInto(merged, b.root, "");
            origins.putAll(b.origins);
        }
        ownOrigins.remove(BASE);
        mergeInto(merged, own, "");
        origins.putAll(ownOrigins);
        chain.remove(chain.size() - 1);
        return new ConfigTree(merged, origins);
    }

    private static List<String> baseList(Object bases, Path file, Map<String, Origin> origins) {
        List<String> out = new ArrayList<>();
        if (bases == null) {
            return out;
        }
        List<?> items = bases instanceof List<?> l ? l : List.of(bases);
        for (Object b : items) {
            if (!(b instanceof String s)) {
                throw new SlowfastException(where(file, origins.get(BASE)) + ": _base_ must be a path or a list of paths");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Applies {@code --cfg-options} overrides {@code a.b.c=VALUE}. Values parse as YAML scalars or flow lists;
     * {@code 1,2} and {@code (1,2)} are lists as in mmcv. Numeric segments index into lists.
     */
    public void applyOptions(List<String> options) {
        for (String opt : options) {
            int eq = opt.indexOf('=');
            if (eq <= 0) {
                throw new SlowfastException("--cfg-options: expected KEY=VALUE, got '" + opt + "'");
            }
            String key = opt.substring(0, eq).trim();
            Object value = parseOptionValue(key, opt.substring(eq + 1).trim());
            setPath(key, value);
            remember(key, new Origin("--cfg-options " + opt, 0, 0));
        }
    }

    /** A copy whose later changes leave this tree as it is. */
    @SuppressWarnings("unchecked")
    public ConfigTree copy() {
        return new ConfigTree((Map<String, Object>) deepCopy(root), new LinkedHashMap<>(origins));
    }

    /** Sets one dotted key path, as a command-line option named {@code source} does. */
    public void set(String key, Object value, String source) {
        setPath(key, value);
        remember(key, new Origin(source, 0, 0));
    }

    /** Records where {@code key} was set, and so where the dicts on its path that no file defined came from. */
    private void remember(String key, Origin origin) {
        origins.put(key, origin);
        for (int dot = key.lastIndexOf('.'); dot > 0; dot = key.lastIndexOf('.', dot - 1)) {
            origins.putIfAbsent(key.substring(0, dot), origin);
        }
    }

    @SuppressWarnings("unchecked")
    private void setPath(String key, Object value) {
        String[] parts = key.split("\\.");
        Object node = root;
        for (int i = 0; i < parts.length; i++) {
            boolean last = i == parts.length - 1;
            String part = parts[i];
            String prefix = String.join(".", java.util.Arrays.copyOf(parts, i + 1));
            if (node instanceof Map<?, ?> m) {
                Map<String, Object> map = (Map<String, Object>) m;
                if (last) {
                    Object old = map.get(part);
                    map.put(part, old instanceof Map<?, ?> && value instanceof Map<?, ?>
                            ? mergeInto((Map<String, Object>) old, (Map<String, Object>) value, prefix) : value);
                } else {
                    node = map.computeIfAbsent(part, k -> new LinkedHashMap<String, Object>());
                }
            } else if (node instanceof List<?> l && part.matches("\\d+")) {
                List<Object> list = (List<Object>) l;
                int idx = Integer.parseInt(part);
                if (idx >= list.size()) {
                    throw new SlowfastException("--cfg-options " + key + ": index " + idx + " is out of range for a list of "
                            + list.size() + " at " + prefix.substring(0, Math.max(0, prefix.lastIndexOf('.'))));
                }
                if (last) {
                    list.set(idx, value);
                } else {
                    node = list.get(idx);
                }
            } else {
                throw new SlowfastException("--cfg-options " + key + ": '" + prefix + "' is not a dict or list");
            }
        }
    }

    static Object parseOptionValue(String key, String text) {
        String t = text;
        if (t.startsWith("(") && t.endsWith(")")) {
            t = "[" + t.substring(1, t.length() - 1) + "]";
        } else if (!t.startsWith("[") && !t.startsWith("{") && t.contains(",") && !t.startsWith("'") && !t.startsWith("\"")) {
            t = "[" + t + "]";
        }
        try {
            Yaml y = yaml();
            Node node = y.compose(new java.io.StringReader(t));
            if (node != null) { // an alias cycle would recurse for ever when the tree is copied or printed
                index(node, key, "--cfg-options " + key + "=" + text, new LinkedHashMap<>(), new ArrayList<>(),
                        new int[] {0});
            }
            return y.load(t);
        } catch (YAMLException e) {
            throw new SlowfastException("--cfg-options: cannot parse value '" + text + "'");
        }
    }

    /** mmcv's merge: dicts merge recursively, {@code _delete_: true} replaces, lists and scalars replace. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> mergeInto(Map<String, Object> base, Map<String, Object> child, String path) {
        for (Map.Entry<String, Object> e : child.entrySet()) {
            Object v = e.getValue();
            Object old = base.get(e.getKey());
            if (v instanceof Map<?, ?> vm) {
                Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) vm);
                boolean delete = Boolean.TRUE.equals(copy.remove(DELETE));
                if (!delete && old instanceof Map<?, ?> om) {
                    base.put(e.getKey(), mergeInto((Map<String, Object>) om, copy, path + e.getKey() + "."));
                } else {
                    base.put(e.getKey(), stripDelete(copy));
                }
            } else {
                base.put(e.getKey(), v);
            }
        }
        return base;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> stripDelete(Map<String, Object> m) {
        m.remove(DELETE);
        for (Map.Entry<String, Object> e : m.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> sub) {
                e.setValue(stripDelete(new LinkedHashMap<>((Map<String, Object>) sub)));
            }
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static void parse(Path file, Map<String, Object> into, Map<String, Origin> origins) {
        String text = read(file);
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        if (name.endsWith(".py")) {
            throw new SlowfastException(file + ": Python configs are not read; convert with mmcv, for example "
                    + "python -c \"from mmcv import Config; Config.fromfile('" + file.getFileName() + "').dump('"
                    + file.getFileName().toString().replaceAll("\\.py$", ".yaml") + "')\"");
        }
        if (name.endsWith(".json")) {
            checkJsonSyntax(file, text);
        }
        checkWordLengths(file, text);
        Object value;
        Node node;
        try {
            Yaml y = yaml();
            node = y.compose(new java.io.StringReader(text));
            if (node != null) {
                index(node, "", file.toString(), origins, new ArrayList<>(), new int[] {0});
            }
            value = y.load(text);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String problem = e.getProblem() != null ? e.getProblem() : e.getMessage().lines().findFirst().orElse("");
            throw new SlowfastException(file + (m != null ? ":" + (m.getLine() + 1) + ":" + (m.getColumn() + 1) : "")
                    + ": YAML syntax error: " + problem.trim());
        } catch (YAMLException e) {
            throw new SlowfastException(file + ": YAML syntax error: " + e.getMessage().lines().findFirst().orElse(""));
        }
        if (value == null) {
            return;
        }
        if (!(value instanceof Map<?, ?> m)) {
            throw new SlowfastException(file + ": a config must be a mapping of keys to values at the top level");
        }
        for (Object key : m.keySet()) {
            if (!(key instanceof String k) || !IDENTIFIER.matcher(k).matches()) {
                throw new SlowfastException(where(file, origins.get(String.valueOf(key))) + ": not a config: the "
                        + "top-level key '" + key + "' is not a Python name, as every key of an mmcv config is");
            }
        }
        // Copies break the sharing of YAML aliases, so that later merges change one place only.
        into.putAll((Map<String, Object>) deepCopy(m));
    }

    /**
     * The file's text, refused unread beyond {@link #MAX_CONFIG_BYTES} (a config is a few KB; this also bounds a
     * config that is a device such as /dev/zero).
     */
    private static String read(Path file) {
        byte[] bytes;
        try (InputStream in = Files.newInputStream(file)) {
            bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
        } catch (NoSuchFileException e) {
            throw new SlowfastException(file + ": config file not found");
        } catch (IOException e) {
            throw new SlowfastException(file + ": cannot read config: " + e.getMessage());
        }
        if (bytes.length > MAX_CONFIG_BYTES) {
            throw new SlowfastException(file + ": the config is larger than " + MAX_CONFIG_BYTES / 1024
                    + " KiB; configs are a few KB");
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new SlowfastException(file + ": cannot read config: not UTF-8 text");
        }
    }

    /** Refuses, naming the line, a run that SnakeYAML would scan in quadratic time ({@link YamlRuns}). */
    private static void checkWordLengths(Path file, String text) {
        try {
            YamlRuns.check(new java.io.StringReader(text), file.toString(),
                    "; config values are short (is this a config?)");
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    /** SnakeYAML reads JSON leniently (trailing commas, missing values); a .json file must be strict JSON. */
    private static void checkJsonSyntax(Path file, String text) {
        try (JsonParser p = new JsonFactory().createParser(text)) {
            while (p.nextToken() != null) {
                p.skipChildren();
            }
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            throw new SlowfastException(file + (at != null ? ":" + at.getLineNr() + ":" + at.getColumnNr() : "")
                    + ": JSON syntax error: " + e.getOriginalMessage().lines().findFirst().orElse(""));
        } catch (IOException e) {
            throw new SlowfastException(file + ": cannot read config: " + e.getMessage());
        }
    }

    /**
     * Records the origin of every key path below {@code node}, as the config will be once its aliases are copied
     * out: an alias inside the node it refers to (a cycle) is an error, and so is a tree that aliases expand beyond
     * {@link #MAX_EXPANDED_NODES} values (SnakeYAML's alias limit alone still lets a few dozen nested aliases expand
     * to millions).
     */
    private static void index(Node node, String path, String file, Map<String, Origin> origins, List<Node> open,
            int[] count) {
        if (++count[0] > MAX_EXPANDED_NODES) {
            throw new SlowfastException(file + ": YAML aliases expand the config beyond " + MAX_EXPANDED_NODES
                    + " values");
        }
        for (Node o : open) {
            if (o == node) {
                Mark mark = node.getStartMark();
                throw new SlowfastException(file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": "
                        + (path.isEmpty() ? "" : path + ": ") + "a YAML alias refers to a node that contains it");
            }
        }
        open.add(node);
        if (node instanceof MappingNode mn) {
            for (NodeTuple t : mn.getValue()) {
                if (t.getKeyNode() instanceof ScalarNode k) {
                    if (k.getTag() == Tag.MERGE || "<<".equals(k.getValue())) {
                        index(t.getValueNode(), path, file, origins, open, count);
                        continue;
                    }
                    String p = path.isEmpty() ? k.getValue() : path + "." + k.getValue();
                    Mark mark = k.getStartMark();
                    origins.put(p, new Origin(file, mark.getLine() + 1, mark.getColumn() + 1));
                    index(t.getValueNode(), p, file, origins, open, count);
                } else {
                    Mark mark = t.getKeyNode().getStartMark();
                    throw new SlowfastException(file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": "
                            + (path.isEmpty() ? "" : path + ": ") + "a key must be a name or a number, not a "
                            + t.getKeyNode().getNodeId());
                }
            }
        } else if (node instanceof SequenceNode sn) {
            List<Node> items = sn.getValue();
            for (int i = 0; i < items.size(); i++) {
                String p = path + "." + i;
                Mark mark = items.get(i).getStartMark();
                origins.put(p, new Origin(file, mark.getLine() + 1, mark.getColumn() + 1));
                index(items.get(i), p, file, origins, open, count);
            }
        }
        open.remove(open.size() - 1);
    }

    private static String where(Path file, Origin origin) {
        return origin != null ? origin.toString() : file.toString();
    }

    /**
     * SnakeYAML with YAML 1.2-style floats ({@code 1e-4} is a number, as in Python and JSON) that reads PyYAML's
     * {@code !!python/tuple} (how mmcv dumps tuples such as {@code conv1_kernel}) as a list.
     */
    static Yaml yaml() {
        LoaderOptions lo = new LoaderOptions();
        lo.setAllowDuplicateKeys(false);
        lo.setCodePointLimit(MAX_CONFIG_BYTES);
        lo.setMaxAliasesForCollections(MAX_ALIASES);
        lo.setNestingDepthLimit(MAX_NESTING);
        lo.setAllowRecursiveKeys(false);
        lo.setTagInspector(PYTHON_TUPLE::equals);
        DumperOptions dopts = new DumperOptions();
        SafeConstructor constructor = new SafeConstructor(lo) {
            {
                yamlConstructors.put(PYTHON_TUPLE, new ConstructYamlSeq() {
                    @Override
                    public Object construct(Node node) {
                        if (!(node instanceof SequenceNode)) {
                            throw new ConstructorException(null, null, "!!python/tuple needs a sequence, not a "
                                    + node.getNodeId(), node.getStartMark()) {};
                        }
                        return super.construct(node);
                    }
                });
            }
        };
        return new Yaml(constructor, new Representer(dopts), dopts, lo, new Resolver() {
            @Override
            protected void addImplicitResolvers() {
                addImplicitResolver(Tag.FLOAT,
                        Pattern.compile("^[-+]?(?:[0-9][0-9_]*)(?:\\.[0-9_]*)?[eE][-+]?[0-9]+$"), "-+0123456789");
                super.addImplicitResolvers();
            }
        });
    }

    @SuppressWarnings("unchecked")
    private static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(deepCopy(x)));
            return out;
        }
        return v;
    }
}
