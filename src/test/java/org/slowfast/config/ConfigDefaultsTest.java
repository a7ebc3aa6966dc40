package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Absent keys take MMAction2 0.x's class and runtime defaults (written out from its signatures). */
class ConfigDefaultsTest {
    @TempDir Path dir;

    private Config load(String yaml) throws IOException {
        Path p = dir.resolve("c.yaml");
        Files.writeString(p, yaml);
        return LoadedConfig.load(p, List.of()).config();
    }

    @Test
    void absentPathwaysAreResNet3dSlowFastsDefaults() throws IOException {
        BackboneConfig b = load("model: {backbone: {type: ResNet3dSlowFast}}\n").model().backbone();
        assertEquals(8, b.resampleRate());
        assertEquals(8, b.speedRatio());
        assertEquals(8, b.channelRatio());
        PathwayConfig slow = b.slowPathway();
        assertEquals(50, slow.depth());
        assertTrue(slow.lateral());
        assertEquals(64, slow.baseChannels());
        assertEquals(List.of(1, 7, 7), slow.conv1Kernel());
        assertEquals(List.of(0, 0, 1, 1), slow.inflate());
        assertEquals(5, slow.fusionKernel());
        PathwayConfig fast = b.fastPathway();
        assertEquals(50, fast.depth());
        assertFalse(fast.lateral());
        assertEquals(8, fast.baseChannels());
        assertEquals(List.of(5, 7, 7), fast.conv1Kernel());
        assertEquals(List.of(1, 1, 1, 1), fast.inflate());
    }

    @Test
    void aGivenPathwayReplacesTheClassDefaultWhole() throws IOException {
        PathwayConfig slow = load("model: {backbone: {slow_pathway: {depth: 101}}}\n").model().backbone().slowPathway();
        assertEquals(101, slow.depth());
        assertFalse(slow.lateral());
        assertEquals(List.of(3, 7, 7), slow.conv1Kernel());
        assertEquals(List.of(1, 1, 1, 1), slow.inflate());
        assertEquals(List.of(1, 2, 2, 2), slow.spatialStrides());
        assertEquals("3x1x1", slow.inflateStyle());
        assertTrue(slow.zeroInitResidual());
    }

    @Test
    void headDefaultsAreSlowFastHeads() throws IOException {
        HeadConfig h = load("model: {cls_head: {num_classes: 5, in_channels: 2304}}\n").model().clsHead();
        assertEquals(0.8, h.dropoutRatio());
        assertEquals(0.01, h.initStd());
        assertEquals("avg", h.spatialType());
        assertEquals(List.of(1, 5), h.topk());
        assertEquals(List.of(3), load("model: {cls_head: {topk: 3}}\n").model().clsHead().topk());
    }

    @Test
    void dataAndRuntimeDefaultsAreMmaction2s() throws IOException {
        Config c = load("data: {train: {type: RawframeDataset, ann_file: a.txt, pipeline: []}, "
                + "test: {type: VideoDataset, ann_file: b.txt, pipeline: []}}\n");
        assertEquals(1, c.data().videosPerGpu());
        assertEquals(1, c.data().workersPerGpu());
        assertEquals("img_{:05}.jpg", c.data().train().filenameTmpl());
        assertEquals(1, c.data().train().startIndex());
        assertEquals(0, c.data().test().startIndex());
        assertFalse(c.data().train().sampleByClass());
        assertEquals("RGB", c.data().train().modality());
        assertEquals("INFO", c.logLevel());
        assertEquals(List.of(List.of("train", 1)), c.workflow());
        assertEquals(2.0, load("optimizer_config: {grad_clip: {max_norm: 40}}\n").optimizerConfig().gradClip().normType());
        LrConfig lr = load("lr_config: {policy: step, step: 3}\n").lrConfig();
        assertEquals(List.of(3), lr.step());
        assertEquals(0.1, lr.gamma());
        assertEquals(0.1, lr.warmupRatio());
        assertFalse(lr.warmupByEpoch());
        assertNull(lr.warmup());
        assertEquals(new PreciseBnConfig(200, 1), load("precise_bn: {}\n").preciseBn());
    }
}
