package org.slowfast.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slowfast.SlowfastException;
import org.slowfast.data.pipeline.PipelineStep;

/** A config file merged with its bases and {@code --cfg-options}, bound to typed records. */
public final class LoadedConfig {
    private static final ObjectMapper BINDER = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));

    private final Path file;
    private final ConfigTree tree;
    private final Config config;

    private LoadedConfig(Path file, ConfigTree tree) {
        this.file = file;
        this.tree = tree;
        this.config = bind(tree, file);
        ConfigChecks.check(this);
    }

    /** Loads, merges and binds a config; every problem is a {@link SlowfastException} naming file and key. */
    public static LoadedConfig load(Path file, List<String> cfgOptions) {
        ConfigTree tree = ConfigTree.load(file);
        tree.applyOptions(cfgOptions == null ? List.of() : cfgOptions);
        return new LoadedConfig(file, tree);
    }

    /**
     * This config with top-level keys set by the command line ({@code null} values included), as tools/train.py sets
     * {@code cfg.work_dir}, {@code cfg.resume_from} and {@code cfg.seed} before it dumps and logs the config.
     */
    public LoadedConfig with(Map<String, Object> values) {
        ConfigTree t = tree.copy();
        values.forEach((k, v) -> t.set(k, v, "the command line"));
        return new LoadedConfig(file, t);
    }

    public Path file() {
        return file;
    }

    public Config config() {
        return config;
    }

    /** The config's name: its file name without extension, as MMAction2 uses for {@code work_dirs/<name>}. */
    public String name() {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot > 0 ? n.substring(0, dot) : n;
    }

    /** The merged tree as plain maps and lists. */
    public Map<String, Object> tree() {
        return tree.root();
    }

    public String toYaml() {
        try {
            return YAML.writeValueAsString(tree.root());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public String toJson() {
        try {
            return JSON.writeValueAsString(tree.root());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A user error about one key: "file:line:col: key.path: message". */
    public SlowfastException error(String keyPath, String message) {
        ConfigTree.Origin o = tree.originOf(keyPath);
        return new SlowfastException((o != null ? o : file) + ": " + keyPath + ": " + message);
    }

    /**
     * An error from code that knows the key path but not the file ({@code "lr_config.warmup_iters: ..."}), with the
     * key's file, line and column; other errors are returned as they are.
     */
    public SlowfastException locate(SlowfastException e) {
        String m = e.getMessage();
        int colon = m.indexOf(": ");
        String key = colon > 0 ? m.substring(0, colon) : "";
        return key.matches("[a-z_][a-z0-9_.]*") && tree.originOf(key) != null ? error(key, m.substring(colon + 2)) : e;
    }

    /** Fails with one line naming the first of the dotted key paths that is absent or null. */
    public void require(String... keyPaths) {
        for (String keyPath : keyPaths) {
            if (valueAt(tree, keyPath) == null) {
                throw new SlowfastException(file + ": missing required key '" + keyPath + "'");
            }
        }
    }

    private static Config bind(ConfigTree tree, Path file) {
        try {
            return BINDER.treeToValue(BINDER.valueToTree(withModelCfgs(tree.root())), Config.class);
        } catch (JsonProcessingException e) {
            throw describe(e, tree, file);
        }
    }

    /**
     * The tree to bind: a top-level {@code train_cfg}/{@code test_cfg} (MMAction2's deprecated place) applies to the
     * model, as MMAction2's {@code build_model} passes it; the dumped tree keeps it where the user wrote it.
     */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> withModelCfgs(Map<String, Object> root) {
        if (!(root.get("model") instanceof Map<?, ?> model)
                || (root.get("train_cfg") == null && root.get("test_cfg") == null)) {
            return root;
        }
        Map<String, Object> m = new LinkedHashMap<>((Map<String, Object>) model);
        for (String key : List.of("train_cfg", "test_cfg")) {
            if (root.get(key) != null && m.get(key) == null) {
                m.put(key, root.get(key));
            }
        }
        Map<String, Object> out = new LinkedHashMap<>(root);
        out.put("model", m);
        return out;
    }

    /** Binds a plain map (snake_case keys) to a config record; for class defaults written as Python dicts. */
    static <T> T bind(Map<String, Object> dict, Class<T> type) {
        return BINDER.convertValue(dict, type);
    }

    private static SlowfastException describe(JsonProcessingException e, ConfigTree tree, Path file) {
        String path = "";
        if (e instanceof JsonMappingException jme) {
            path = jme.getPath().stream()
                    .map(r -> r.getFieldName() != null ? r.getFieldName() : String.valueOf(r.getIndex()))
                    .collect(Collectors.joining("."));
        }
        String problem;
        if (e instanceof UnrecognizedPropertyException u) {
            TreeSet<String> accepted = u.getKnownPropertyIds().stream().map(String::valueOf)
                    .collect(Collectors.toCollection(TreeSet::new));
            String owner = "";
            if (PipelineStep.class.isAssignableFrom(u.getReferringClass())) {
                accepted.add("type");
                owner = " for " + valueAt(tree, parentOf(path) + ".type");
            }
            problem = "unknown key '" + u.getPropertyName() + "'" + owner + "; accepted keys: "
                    + String.join(", ", accepted);
        } else if (e instanceof InvalidTypeIdException t) {
            Matcher m = Pattern.compile("known type ids = \\[([^\\]]*)\\]").matcher(e.getOriginalMessage());
            String known = m.find() ? m.group(1) : "";
            problem = t.getTypeId() == null ? "missing 'type'" : "unknown type '" + t.getTypeId() + "'";
            problem += known.isEmpty() ? "" : "; accepted types: " + known;
        } else if (e instanceof MismatchedInputException mi && mi.getTargetType() != null) {
            problem = "wrong type: expected " + typeName(mi.getTargetType()) + ", got " + describeValue(valueAt(tree, path));
        } else {
            problem = e.getOriginalMessage().lines().findFirst().orElse("invalid value");
        }
        ConfigTree.Origin o = tree.originOf(path);
        return new SlowfastException((o != null ? o : file) + ": " + (path.isEmpty() ? "" : path + ": ") + problem, e);
    }

    private static String parentOf(String path) {
        int dot = path.lastIndexOf('.');
        return dot > 0 ? path.substring(0, dot) : "";
    }

    /** The value at a dotted path of the merged tree (numeric segments index lists), or null. */
    private static Object valueAt(ConfigTree tree, String path) {
        Object node = tree.root();
        for (String part : path.split("\\.")) {
            if (node instanceof Map<?, ?> m) {
                node = m.get(part);
            } else if (node instanceof List<?> l && part.matches("\\d+") && Integer.parseInt(part) < l.size()) {
                node = l.get(Integer.parseInt(part));
            } else {
                return null;
            }
        }
        return node;
    }

    private static String describeValue(Object v) {
        if (v instanceof List<?> l) {
            return "the list " + l;
        }
        if (v instanceof Map<?, ?>) {
            return "a dict";
        }
        if (v instanceof String s) {
            return "the string '" + s + "'";
        }
        if (v instanceof Number n) {
            return "the number " + n;
        }
        return String.valueOf(v);
    }

    private static String typeName(Class<?> c) {
        if (c == Integer.class || c == int.class || c == Long.class || c == long.class) {
            return "an integer";
        }
        if (c == Double.class || c == double.class) {
            return "a number";
        }
        if (c == Boolean.class || c == boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (List.class.isAssignableFrom(c)) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(c) || c.isRecord()) {
            return "a dict";
        }
        return c.getSimpleName();
    }
}
