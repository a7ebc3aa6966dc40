package org.slowfast.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.slowfast.config.LoadedConfig;

/** Structure of the full-size models against the fact sheet's §2.6 table and §6.2 numbers (no weights allocated). */
class ModelStructureTest {
    static final Path R50 = Path.of("configs/recognition/slowfast/slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml");
    static final List<String> EIGHT_BY_EIGHT = List.of("model.backbone.resample_rate=4",
            "model.backbone.speed_ratio=4", "model.backbone.slow_pathway.fusion_kernel=7");

    static Recognizer3D model(String... options) {
        return Recognizer3D.build(LoadedConfig.load(R50, List.of(options)));
    }

    @Test
    void r50StateDictMatchesFactSheet() {
        Recognizer3D m = model();
        LinkedHashMap<String, long[]> shapes = StateDicts.shapes(m);
        assertEquals(642, shapes.size());
        assertEquals(110, shapes.keySet().stream().filter(k -> k.endsWith("conv.weight")).count());
        assertEquals(106, shapes.keySet().stream().filter(k -> k.endsWith("num_batches_tracked")).count());
        assertEquals(324, m.namedParameters().size());
        assertEquals(34_479_288L, m.trainableParameterCount());

        assertArrayEquals(new long[] {64, 3, 1, 7, 7}, shapes.get("backbone.slow_path.conv1.conv.weight"));
        assertArrayEquals(new long[] {64, 80, 1, 1, 1}, shapes.get("backbone.slow_path.layer1.0.conv1.conv.weight"));
        assertArrayEquals(new long[] {256, 80, 1, 1, 1},
                shapes.get("backbone.slow_path.layer1.0.downsample.conv.weight"));
        assertArrayEquals(new long[] {128, 320, 1, 1, 1}, shapes.get("backbone.slow_path.layer2.0.conv1.conv.weight"));
        assertArrayEquals(new long[] {256, 640, 3, 1, 1}, shapes.get("backbone.slow_path.layer3.0.conv1.conv.weight"));
        assertArrayEquals(new long[] {256, 1024, 3, 1, 1}, shapes.get("backbone.slow_path.layer3.5.conv1.conv.weight"));
        assertArrayEquals(new long[] {512, 1280, 3, 1, 1}, shapes.get("backbone.slow_path.layer4.0.conv1.conv.weight"));
        assertArrayEquals(new long[] {2048, 1280, 1, 1, 1},
                shapes.get("backbone.slow_path.layer4.0.downsample.conv.weight"));
        assertArrayEquals(new long[] {512, 512, 1, 3, 3}, shapes.get("backbone.slow_path.layer4.2.conv2.conv.weight"));
        assertArrayEquals(new long[] {16, 8, 5, 1, 1}, shapes.get("backbone.slow_path.conv1_lateral.conv.weight"));
        assertArrayEquals(new long[] {64, 32, 5, 1, 1}, shapes.get("backbone.slow_path.layer1_lateral.conv.weight"));
        assertArrayEquals(new long[] {128, 64, 5, 1, 1}, shapes.get("backbone.slow_path.layer2_lateral.conv.weight"));
        assertArrayEquals(new long[] {256, 128, 5, 1, 1}, shapes.get("backbone.slow_path.layer3_lateral.conv.weight"));
        assertArrayEquals(new long[] {8, 3, 5, 7, 7}, shapes.get("backbone.fast_path.conv1.conv.weight"));
        assertArrayEquals(new long[] {8, 8, 3, 1, 1}, shapes.get("backbone.fast_path.layer1.0.conv1.conv.weight"));
        assertArrayEquals(new long[] {64, 32, 1, 1, 1}, shapes.get("backbone.fast_path.layer2.0.downsample.conv.weight"));
        assertArrayEquals(new long[] {400, 2304}, shapes.get("cls_head.fc_cls.weight"));
        assertArrayEquals(new long[] {400}, shapes.get("cls_head.fc_cls.bias"));
        assertArrayEquals(new long[] {}, shapes.get("backbone.slow_path.conv1.bn.num_batches_tracked"));
        assertArrayEquals(new long[] {64}, shapes.get("backbone.slow_path.conv1.bn.running_var"));
        assertTrue(!shapes.containsKey("backbone.slow_path.conv1_lateral.bn.weight"));
    }

    @Test
    void r50KeyOrderIsTorchRegistrationOrder() {
        List<String> keys = new ArrayList<>(StateDicts.shapes(model()).keySet());
        assertEquals(List.of("backbone.slow_path.conv1.conv.weight", "backbone.slow_path.conv1.bn.weight",
                "backbone.slow_path.conv1.bn.bias", "backbone.slow_path.conv1.bn.running_mean",
                "backbone.slow_path.conv1.bn.running_var", "backbone.slow_path.conv1.bn.num_batches_tracked",
                "backbone.slow_path.layer1.0.conv1.conv.weight"), keys.subList(0, 7));
        int conv3 = keys.indexOf("backbone.slow_path.layer1.0.conv3.bn.num_batches_tracked");
        assertEquals("backbone.slow_path.layer1.0.downsample.conv.weight", keys.get(conv3 + 1));
        int lastSlowLayer = keys.indexOf("backbone.slow_path.layer4.2.conv3.bn.num_batches_tracked");
        assertEquals(List.of("backbone.slow_path.conv1_lateral.conv.weight",
                "backbone.slow_path.layer1_lateral.conv.weight", "backbone.slow_path.layer2_lateral.conv.weight",
                "backbone.slow_path.layer3_lateral.conv.weight", "backbone.fast_path.conv1.conv.weight"),
                keys.subList(lastSlowLayer + 1, lastSlowLayer + 6));
        assertEquals(List.of("cls_head.fc_cls.weight", "cls_head.fc_cls.bias"), keys.subList(640, 642));
    }

    @Test
    void parameterSplitMatchesFactSheet() {
        Recognizer3D m = model();
        long laterals = 0;
        long slow = 0;
        long fast = 0;
        for (var e : m.namedParameters().entrySet()) {
            long n = e.getValue().getShape().size();
            if (e.getKey().contains("_lateral")) {
                laterals += n;
            } else if (e.getKey().startsWith("backbone.slow_path")) {
                slow += n;
            } else if (e.getKey().startsWith("backbone.fast_path")) {
                fast += n;
            }
        }
        assertEquals(32_827_456L, slow);
        assertEquals(215_680L, laterals);
        assertEquals(514_152L, fast);
    }

    @Test
    void deeperSlowPathsAndEightByEight() {
        assertEquals(948, StateDicts.shapes(model("model.backbone.slow_pathway.depth=101")).size());
        assertEquals(62_384_312L, model("model.backbone.slow_pathway.depth=101").trainableParameterCount());
        Recognizer3D r152 = model("model.backbone.slow_pathway.depth=152");
        assertEquals(1254, StateDicts.shapes(r152).size());
        assertEquals(84_843_704L, r152.trainableParameterCount());
        List<String> r101x2 = new ArrayList<>(EIGHT_BY_EIGHT);
        r101x2.add("model.backbone.slow_pathway.depth=101");
        r101x2.add("model.backbone.fast_pathway.depth=101");
        Recognizer3D r101 = model(r101x2.toArray(String[]::new));
        assertEquals(1254, StateDicts.shapes(r101).size());
        assertEquals(62_912_312L, r101.trainableParameterCount());
        assertEquals(34_565_560L, model(EIGHT_BY_EIGHT.toArray(String[]::new)).trainableParameterCount());
        List<String> sthv1 = new ArrayList<>(EIGHT_BY_EIGHT);
        sthv1.add("model.cls_head.num_classes=174");
        assertEquals(34_044_630L, model(sthv1.toArray(String[]::new)).trainableParameterCount());
        assertArrayEquals(new long[] {16, 8, 7, 1, 1}, StateDicts.shapes(model(EIGHT_BY_EIGHT.toArray(String[]::new)))
                .get("backbone.slow_path.conv1_lateral.conv.weight"));
    }

    static double gmacs(Recognizer3D m, Shape input) {
        return m.profile(input).stream().mapToLong(StageProfile::macs).sum() / 1e9;
    }

    @Test
    void convAndFcMacsMatchThePaper() {
        assertEquals(36.10, gmacs(model(), new Shape(1, 3, 32, 256, 256)), 0.005);
        assertEquals(65.71, gmacs(model(EIGHT_BY_EIGHT.toArray(String[]::new)), new Shape(1, 3, 32, 256, 256)), 0.005);
    }
}
