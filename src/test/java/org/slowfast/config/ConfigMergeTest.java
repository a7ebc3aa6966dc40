package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.SlowfastException;

/** mmcv Config semantics: _base_ chains, recursive dict merge, list replacement, _delete_, anchors, --cfg-options. */
class ConfigMergeTest {
    @TempDir Path dir;

    private Path write(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    @SuppressWarnings("unchecked")
    private static Object at(Map<String, Object> tree, String path) {
        Object node = tree;
        for (String part : path.split("\\.")) {
            node = node instanceof List<?> l ? l.get(Integer.parseInt(part)) : ((Map<String, Object>) node).get(part);
        }
        return node;
    }

    @Test
    void nestedDictsMergeListsAndScalarsReplace() throws IOException {
        write("base/a.yaml", """
                model: {backbone: {depth: 50, lateral: true, strides: [1, 2, 2, 2]}, name: base}
                keep: 1
                """);
        Path child = write("child.yaml", """
                _base_: base/a.yaml
                model: {backbone: {depth: 101, strides: [1, 1]}}
                """);
        Map<String, Object> t = ConfigTree.load(child).root();
        assertEquals(101, at(t, "model.backbone.depth"));
        assertEquals(true, at(t, "model.backbone.lateral"));
        assertEquals(List.of(1, 1), at(t, "model.backbone.strides"));
        assertEquals("base", at(t, "model.name"));
        assertEquals(1, at(t, "keep"));
    }

    @Test
    void baseListMergesInOrderAndChainsResolveRelativeToEachFile() throws IOException {
        write("_base_/models/m.yaml", "x: {a: 1, b: 1}\n");
        write("_base_/runtime.yaml", "x: {b: 2}\ny: runtime\n");
        write("recog/mid.yaml", "_base_: [../_base_/models/m.yaml, ../_base_/runtime.yaml]\nz: mid\n");
        Path leaf = write("recog/deep/leaf.yaml", "_base_: ../mid.yaml\nx: {c: 3}\n");
        Map<String, Object> t = ConfigTree.load(leaf).root();
        assertEquals(Map.of("a", 1, "b", 2, "c", 3), at(t, "x"));
        assertEquals("runtime", at(t, "y"));
        assertEquals("mid", at(t, "z"));
        assertFalse(t.containsKey("_base_"));
    }

    @Test
    void deleteReplacesADictInsteadOfMerging() throws IOException {
        write("b.yaml", "optimizer: {type: SGD, lr: 0.1, momentum: 0.9}\n");
        Path c = write("c.yaml", "_base_: b.yaml\noptimizer: {_delete_: true, type: SGD, lr: 0.5}\n");
        assertEquals(Map.of("type", "SGD", "lr", 0.5), at(ConfigTree.load(c).root(), "optimizer"));
    }

    @Test
    void anchorsAliasesAndMergeKeysStandInForPythonVariables() throws IOException {
        Path p = write("a.yaml", """
                img_norm_cfg: &norm {mean: [1, 2, 3], std: [4, 5, 6], to_bgr: false}
                pipe: &pipe
                  - {type: Normalize, <<: *norm}
                other: *pipe
                wd: 1e-4
                """);
        Map<String, Object> t = ConfigTree.load(p).root();
        assertEquals("Normalize", at(t, "pipe.0.type"));
        assertEquals(List.of(1, 2, 3), at(t, "pipe.0.mean"));
        assertEquals(false, at(t, "other.0.to_bgr"));
        assertEquals(1e-4, at(t, "wd"));
    }

    @Test
    void aliasesAreCopiesSoOverridesChangeOnePlaceOnly() throws IOException {
        Path p = write("a.yaml", "a: &x {v: 1}\nb: *x\n");
        ConfigTree t = ConfigTree.load(p);
        t.applyOptions(List.of("b.v=2"));
        assertEquals(1, at(t.root(), "a.v"));
        assertEquals(2, at(t.root(), "b.v"));
    }

    @Test
    void cfgOptionsParseScalarsListsTuplesAndIndexLists() throws IOException {
        Path p = write("a.yaml", "data: {videos_per_gpu: 8, pipeline: [{type: A, n: 1}, {type: B}]}\nopt: {lr: 0.1}\n");
        ConfigTree t = ConfigTree.load(p);
        t.applyOptions(List.of("data.videos_per_gpu=2", "opt.lr=1e-3", "opt.steps=[3, 4]", "opt.t=(5,6)",
                "opt.csv=7,8", "data.pipeline.0.n=9", "opt.name=abc", "opt.none=null", "new.key=true"));
        Map<String, Object> r = t.root();
        assertEquals(2, at(r, "data.videos_per_gpu"));
        assertEquals(1e-3, at(r, "opt.lr"));
        assertEquals(List.of(3, 4), at(r, "opt.steps"));
        assertEquals(List.of(5, 6), at(r, "opt.t"));
        assertEquals(List.of(7, 8), at(r, "opt.csv"));
        assertEquals(9, at(r, "data.pipeline.0.n"));
        assertEquals("B", at(r, "data.pipeline.1.type"));
        assertEquals("abc", at(r, "opt.name"));
        assertNull(at(r, "opt.none"));
        assertEquals(true, at(r, "new.key"));
    }

    @Test
    void originsPointAtTheFileThatLastSetTheKey() throws IOException {
        write("b.yaml", "a:\n  x: 1\n  y: 2\n");
        Path c = write("c.yaml", "_base_: b.yaml\n\na:\n  y: 3\n");
        ConfigTree t = ConfigTree.load(c);
        assertEquals(new ConfigTree.Origin(dir.resolve("b.yaml").toString(), 2, 3), t.originOf("a.x"));
        assertEquals(new ConfigTree.Origin(dir.resolve("c.yaml").toString(), 4, 3), t.originOf("a.y"));
        assertEquals(t.originOf("a.y"), t.originOf("a.y.deeper"));
    }

    @Test
    void plainJsonConfigsLoadAndBind() throws IOException {
        Path p = write("j.json", "{\"model\": {\"cls_head\": {\"num_classes\": 7}}, \"total_epochs\": 3}");
        LoadedConfig cfg = LoadedConfig.load(p, List.of());
        assertEquals(7, cfg.config().model().clsHead().numClasses());
        assertEquals(3, cfg.config().totalEpochs());
    }

    @Test
    void mergeKeysYieldToExplicitKeys() throws IOException {
        Path p = write("a.yaml", "norm: &n {mean: [1], to_bgr: false}\nstep: {type: Normalize, <<: *n, to_bgr: true}\n");
        Map<String, Object> t = ConfigTree.load(p).root();
        assertEquals(Map.of("type", "Normalize", "mean", List.of(1), "to_bgr", true), at(t, "step"));
    }

    @Test
    void deleteWorksDeepInTheTreeAndIsNeverKept() throws IOException {
        write("b.yaml", "model: {backbone: {slow_pathway: {depth: 50, lateral: true}, speed_ratio: 8}}\n");
        Path c = write("c.yaml", "_base_: b.yaml\nmodel: {backbone: {slow_pathway: {_delete_: true, depth: 101}}}\n");
        Map<String, Object> t = ConfigTree.load(c).root();
        assertEquals(Map.of("depth", 101), at(t, "model.backbone.slow_pathway"));
        assertEquals(8, at(t, "model.backbone.speed_ratio"));
    }

    @Test
    void cfgOptionDictValuesMergeIntoDicts() throws IOException {
        Path p = write("a.yaml", "optimizer_config: {grad_clip: {max_norm: 40, norm_type: 2}}\n");
        ConfigTree t = ConfigTree.load(p);
        t.applyOptions(List.of("optimizer_config.grad_clip={max_norm: 20}"));
        assertEquals(Map.of("max_norm", 20, "norm_type", 2), at(t.root(), "optimizer_config.grad_clip"));
        t.applyOptions(List.of("optimizer_config.grad_clip=null"));
        assertNull(at(t.root(), "optimizer_config.grad_clip"));
    }

    @Test
    void cfgOptionIndexOutOfRangeIsAUserError() throws IOException {
        ConfigTree t = ConfigTree.load(write("a.yaml", "p: [{type: A}]\n"));
        SlowfastException e = assertThrows(SlowfastException.class, () -> t.applyOptions(List.of("p.3.n=1")));
        assertEquals("--cfg-options p.3.n: index 3 is out of range for a list of 1 at p", e.getMessage());
    }
}
