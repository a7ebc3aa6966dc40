package org.slowfast.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.slowfast.data.pipeline.CenterCrop;
import org.slowfast.data.pipeline.Collect;
import org.slowfast.data.pipeline.Flip;
import org.slowfast.data.pipeline.FormatShape;
import org.slowfast.data.pipeline.Normalize;
import org.slowfast.data.pipeline.PipelineStep;
import org.slowfast.data.pipeline.RandomResizedCrop;
import org.slowfast.data.pipeline.RawFrameDecode;
import org.slowfast.data.pipeline.Resize;
import org.slowfast.data.pipeline.SampleFrames;
import org.slowfast.data.pipeline.ThreeCrop;
import org.slowfast.data.pipeline.ToTensor;
import org.slowfast.data.pipeline.VideoDecode;
import org.slowfast.data.pipeline.VideoInit;

/** The 8 seed configs, checked against the values of the fact sheet §1 (written out by hand here). */
class SeedConfigsTest {
    private static final String DIR = "configs/recognition/slowfast/";

    static Config load(String name) {
        return LoadedConfig.load(Path.of(DIR + name + ".yaml"), List.of()).config();
    }

    /** The 8 SlowFast seed configs (configs/recognition/slowfast/, MMAction2's names). */
    public static final List<String> SEEDS = List.of(
        "slowfast_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r50_video_4x16x1_256e_kinetics400_rgb",
        "slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r50_8x8x1_256e_kinetics400_rgb",
        "slowfast_r101_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r101_8x8x1_256e_kinetics400_rgb",
        "slowfast_r152_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r50_16x8x1_22e_sthv1_rgb");

    /** For {@code @MethodSource("org.slowfast.config.SeedConfigsTest#seeds")}. */
    public static Stream<String> seeds() {
        return SEEDS.stream();
    }

    static Stream<String> kineticsSeeds() {
        return SEEDS.stream().filter(n -> n.contains("kinetics400"));
    }

    @ParameterizedTest
    @MethodSource("kineticsSeeds")
    void kineticsRecipeIsShared(String name) {
        Config c = load(name);
        assertEquals(400, c.model().clsHead().numClasses());
        assertEquals(2304, c.model().clsHead().inChannels());
        assertEquals(0.5, c.model().clsHead().dropoutRatio());
        assertEquals(0.01, c.model().clsHead().initStd());
        assertEquals("prob", c.model().testCfg().averageClips());
        assertEquals(8, c.data().videosPerGpu());
        assertEquals("SGD", c.optimizer().type());
        assertEquals(0.1, c.optimizer().lr());
        assertEquals(0.9, c.optimizer().momentum());
        assertEquals(1e-4, c.optimizer().weightDecay());
        assertEquals(40.0, c.optimizerConfig().gradClip().maxNorm());
        assertEquals(2.0, c.optimizerConfig().gradClip().normType());
        assertEquals("CosineAnnealing", c.lrConfig().policy());
        assertEquals(0.0, c.lrConfig().minLr());
        assertEquals("linear", c.lrConfig().warmup());
        assertTrue(c.lrConfig().warmupByEpoch());
        assertEquals(34, c.lrConfig().warmupIters());
        assertEquals(0.1, c.lrConfig().warmupRatio());
        assertEquals(256, c.totalEpochs());
        assertEquals(4, c.checkpointConfig().interval());
        assertEquals(5, c.evaluation().interval());
        assertEquals(List.of("top_k_accuracy", "mean_class_accuracy"), c.evaluation().metrics());
        assertEquals(20, c.logConfig().interval());
        assertEquals(List.of(List.of("train", 1)), c.workflow());
        assertEquals(List.of(1, 7, 7), c.model().backbone().slowPathway().conv1Kernel());
        assertEquals(List.of(0, 0, 1, 1), c.model().backbone().slowPathway().inflate());
        assertEquals(List.of(5, 7, 7), c.model().backbone().fastPathway().conv1Kernel());
        assertEquals(List.of(1, 1, 1, 1), c.model().backbone().fastPathway().inflate());
        assertEquals(8, c.model().backbone().fastPathway().baseChannels());
        assertEquals(64, c.model().backbone().slowPathway().baseChannels());
        assertTrue(c.model().backbone().slowPathway().lateral());
        assertEquals(false, c.model().backbone().fastPathway().lateral());
        assertEquals(8, c.model().backbone().channelRatio());
        assertEquals(name.contains("prebn") ? 4 : 2, c.data().workersPerGpu());
        assertEquals(name.contains("prebn") ? null : 1,
                c.data().testDataloader() == null ? null : c.data().testDataloader().videosPerGpu());
        assertNull(c.loadFrom());
        assertNull(c.resumeFrom());
        assertEquals("INFO", c.logLevel());
        assertEquals(Map.of("backend", "nccl"), c.distParams());
        assertEquals(false, c.findUnusedParameters());
        boolean video = name.contains("video");
        String kind = video ? "videos" : "rawframes";
        assertEquals("data/kinetics400/" + kind + "_train", c.data().train().dataPrefix());
        assertEquals("data/kinetics400/kinetics400_train_list_" + kind + ".txt", c.data().train().annFile());
        for (DatasetConfig d : List.of(c.data().val(), c.data().test())) {
            assertEquals("data/kinetics400/" + kind + "_val", d.dataPrefix());
            assertEquals("data/kinetics400/kinetics400_val_list_" + kind + ".txt", d.annFile());
        }
        checkKineticsTrain(c.data().train().pipeline(), video);
        checkKineticsEval(c.data().val().pipeline(), video, 1, 224);
        checkKineticsEval(c.data().test().pipeline(), video, 10, 256);
        assertEquals(video ? "VideoDataset" : "RawframeDataset", c.data().train().type());
        assertEquals(video ? 0 : 1, c.data().test().startIndex());
        assertEquals("img_{:05}.jpg", c.data().train().filenameTmpl());
    }

    private static void checkKineticsTrain(List<PipelineStep> p, boolean video) {
        int i = 0;
        if (video) {
            assertEquals(new VideoInit(null, null), p.get(i++));
        }
        assertEquals(new SampleFrames(32, 2, 1, false, false, "loop", false, null, false), p.get(i++));
        assertEquals(video ? VideoDecode.class : RawFrameDecode.class, p.get(i++).getClass());
        assertEquals(List.of(-1.0, 256.0), ((Resize) p.get(i++)).scale());
        assertEquals(List.of(0.08, 1.0), ((RandomResizedCrop) p.get(i++)).areaRange());
        Resize r = (Resize) p.get(i++);
        assertEquals(List.of(224.0, 224.0), r.scale());
        assertEquals(false, r.keepRatio());
        assertEquals(0.5, ((Flip) p.get(i++)).flipRatio());
        checkNorm((Normalize) p.get(i++));
        assertEquals("NCTHW", ((FormatShape) p.get(i++)).inputFormat());
        assertEquals(new Collect(List.of("imgs", "label"), List.of(), null, null), p.get(i++));
        assertEquals(new ToTensor(List.of("imgs", "label")), p.get(i++));
        assertEquals(i, p.size());
    }

    private static void checkKineticsEval(List<PipelineStep> p, boolean video, int clips, int crop) {
        int i = 0;
        if (video) {
            assertEquals(new VideoInit(null, null), p.get(i++));
        }
        assertEquals(new SampleFrames(32, 2, clips, false, false, "loop", true, null, false), p.get(i++));
        assertEquals(video ? VideoDecode.class : RawFrameDecode.class, p.get(i++).getClass());
        assertEquals(List.of(-1.0, 256.0), ((Resize) p.get(i++)).scale());
        if (clips == 1) {
            assertEquals(List.of(crop), ((CenterCrop) p.get(i++)).cropSize());
        } else {
            assertEquals(List.of(crop), ((ThreeCrop) p.get(i++)).cropSize());
        }
        checkNorm((Normalize) p.get(i++));
        checkEvalTail(p, i);
    }

    /** FormatShape NCTHW, Collect imgs and label without meta keys, ToTensor imgs only (the label stays an int). */
    private static void checkEvalTail(List<PipelineStep> p, int i) {
        assertEquals("NCTHW", ((FormatShape) p.get(i++)).inputFormat());
        assertEquals(new Collect(List.of("imgs", "label"), List.of(), null, null), p.get(i++));
        assertEquals(new ToTensor(List.of("imgs")), p.get(i++));
        assertEquals(i, p.size());
    }

    private static void checkNorm(Normalize n) {
        assertEquals(List.of(123.675, 116.28, 103.53), n.mean());
        assertEquals(List.of(58.395, 57.12, 57.375), n.std());
        assertEquals(false, n.toBgr());
    }

    @Test
    void modelVariantsMatchTheFactSheet() {
        record Expect(String name, int slowDepth, int fastDepth, int tau, int alpha, int fusion, Integer views) {}
        for (Expect e : List.of(
                new Expect("slowfast_r50_4x16x1_256e_kinetics400_rgb", 50, 50, 8, 8, 5, null),
                new Expect("slowfast_r50_video_4x16x1_256e_kinetics400_rgb", 50, 50, 8, 8, 5, null),
                new Expect("slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb", 50, 50, 8, 8, 5, null),
                new Expect("slowfast_r50_8x8x1_256e_kinetics400_rgb", 50, 50, 4, 4, 7, null),
                new Expect("slowfast_r101_r50_4x16x1_256e_kinetics400_rgb", 101, 50, 8, 8, 5, 10),
                new Expect("slowfast_r101_8x8x1_256e_kinetics400_rgb", 101, 101, 4, 4, 7, 10),
                new Expect("slowfast_r152_r50_4x16x1_256e_kinetics400_rgb", 152, 50, 8, 8, 5, 8),
                new Expect("slowfast_r50_16x8x1_22e_sthv1_rgb", 50, 50, 4, 4, 7, null))) {
            BackboneConfig b = load(e.name).model().backbone();
            assertEquals(e.slowDepth, b.slowPathway().depth(), e.name);
            assertEquals(e.fastDepth, b.fastPathway().depth(), e.name);
            assertEquals(e.tau, b.resampleRate(), e.name);
            assertEquals(e.alpha, b.speedRatio(), e.name);
            assertEquals(e.fusion, b.slowPathway().fusionKernel(), e.name);
            assertEquals(e.views, load(e.name).model().testCfg().maxTestingViews(), e.name);
        }
    }

    @Test
    void prebnAddsPreciseBnAndDropsTheTestDataloader() {
        Config c = load("slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb");
        assertEquals(new PreciseBnConfig(200, 1), c.preciseBn());
        assertEquals(4, c.data().workersPerGpu());
        assertNull(c.data().testDataloader());
        assertNull(load("slowfast_r50_4x16x1_256e_kinetics400_rgb").preciseBn());
        assertEquals(1, load("slowfast_r50_4x16x1_256e_kinetics400_rgb").data().testDataloader().videosPerGpu());
    }

    @Test
    void sthv1RecipeMatchesTheFactSheet() {
        Config c = load("slowfast_r50_16x8x1_22e_sthv1_rgb");
        assertEquals(174, c.model().clsHead().numClasses());
        assertEquals(4, c.data().videosPerGpu());
        assertEquals("{:05}.jpg", c.data().train().filenameTmpl());
        assertEquals("{:05}.jpg", c.data().test().filenameTmpl());
        assertEquals(0.06, c.optimizer().lr());
        assertEquals(1e-6, c.optimizer().weightDecay());
        assertEquals("step", c.lrConfig().policy());
        assertEquals(List.of(14, 18), c.lrConfig().step());
        assertEquals(0.1, c.lrConfig().gamma());
        assertEquals(false, c.lrConfig().warmupByEpoch());
        assertEquals(16343 / 32, c.lrConfig().warmupIters());
        assertEquals(22, c.totalEpochs());
        assertEquals(1, c.checkpointConfig().interval());
        assertEquals(18, c.evaluation().start());
        assertEquals(1, c.evaluation().interval());
        assertEquals(List.of("top_k_accuracy"), c.evaluation().metrics());
        assertTrue(c.loadFrom().endsWith("slowfast_r50_8x8x1_256e_kinetics400_rgb_20200716-73547d2b.pth"));
        assertEquals(true, c.evaluation().gpuCollect());
        assertEquals(2, c.data().workersPerGpu());
        assertEquals(1, c.data().testDataloader().videosPerGpu());
        assertEquals("./work_dirs/slowfast_r50_16x8x1_22e_sthv1_rgb", c.workDir());
        for (DatasetConfig d : List.of(c.data().train(), c.data().val(), c.data().test())) {
            assertEquals("RawframeDataset", d.type());
            assertEquals("data/sthv1/rawframes", d.dataPrefix());
            assertEquals("{:05}.jpg", d.filenameTmpl());
            assertEquals(1, d.startIndex());
        }
        assertEquals("data/sthv1/sthv1_train_list_rawframes.txt", c.data().train().annFile());
        assertEquals("data/sthv1/sthv1_val_list_rawframes.txt", c.data().val().annFile());
        assertEquals("data/sthv1/sthv1_val_list_rawframes.txt", c.data().test().annFile());

        // No Resize before RandomResizedCrop; flips swap the left/right classes.
        List<PipelineStep> train = c.data().train().pipeline();
        assertEquals(new SampleFrames(64, 2, 1, false, false, "loop", false, null, false), train.get(0));
        assertInstanceOf(RawFrameDecode.class, train.get(1));
        assertEquals(new RandomResizedCrop(List.of(0.08, 1.0), List.of(0.75, 4.0 / 3), false), train.get(2));
        assertEquals(new Resize(List.of(224.0, 224.0), false, "bilinear", false), train.get(3));
        Flip flip = (Flip) train.get(4);
        assertEquals(0.5, flip.flipRatio());
        assertEquals("horizontal", flip.direction());
        assertEquals(Map.of(2, 4, 4, 2, 30, 41, 41, 30, 52, 66, 66, 52), flip.flipLabelMap());
        checkNorm((Normalize) train.get(5));
        assertEquals("NCTHW", ((FormatShape) train.get(6)).inputFormat());
        assertEquals(new Collect(List.of("imgs", "label"), List.of(), null, null), train.get(7));
        assertEquals(new ToTensor(List.of("imgs", "label")), train.get(8));
        assertEquals(9, train.size());

        // val = test: 1 clip x 1 centre crop of 256.
        for (List<PipelineStep> p : List.of(c.data().val().pipeline(), c.data().test().pipeline())) {
            assertEquals(new SampleFrames(64, 2, 1, false, false, "loop", true, null, false), p.get(0));
            assertInstanceOf(RawFrameDecode.class, p.get(1));
            assertEquals(new Resize(List.of(-1.0, 256.0), true, "bilinear", false), p.get(2));
            assertEquals(List.of(256), ((CenterCrop) p.get(3)).cropSize());
            checkNorm((Normalize) p.get(4));
            checkEvalTail(p, 5);
        }
    }

    @Test
    void workDirsAreMmaction2s() {
        Map<String, String> expected = Map.of(
                "slowfast_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r50_3d_4x16x1_256e_kinetics400_rgb",
                "slowfast_r50_video_4x16x1_256e_kinetics400_rgb", "slowfast_r50_video_3d_4x16x1_256e_kinetics400_rgb",
                "slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb", "slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb",
                "slowfast_r50_8x8x1_256e_kinetics400_rgb", "slowfast_r50_3d_8x8x1_256e_kinetics400_rgb",
                "slowfast_r101_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r101_r50_4x16x1_256e_kinetics400_rgb",
                "slowfast_r101_8x8x1_256e_kinetics400_rgb", "slowfast_r101_8x8x1_256e_kinetics400_rgb",
                "slowfast_r152_r50_4x16x1_256e_kinetics400_rgb", "slowfast_r152_r50_4x16x1_256e_kinetics400_rgb");
        expected.forEach((name, dir) -> assertEquals("./work_dirs/" + dir, load(name).workDir(), name));
    }

    @Test
    void standAloneConfigsLackOnlyTheUnusedRuntimeKeys() {
        for (String name : List.of("slowfast_r101_r50_4x16x1_256e_kinetics400_rgb",
                "slowfast_r101_8x8x1_256e_kinetics400_rgb", "slowfast_r152_r50_4x16x1_256e_kinetics400_rgb")) {
            Config c = load(name);
            assertNull(c.opencvNumThreads(), name);
            assertNull(c.mpStartMethod(), name);
        }
        Config c = load("slowfast_r50_4x16x1_256e_kinetics400_rgb");
        assertEquals(0, c.opencvNumThreads());
        assertEquals("fork", c.mpStartMethod());
    }
}
