package org.slowfast.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code slowfast info} against the published parameter counts and the paper's conv+fc GFLOPs (§6.2). */
class InfoCommandTest {
    static final Path SLOWFAST = Path.of("configs/recognition/slowfast");
    /** Published parameter counts of the seed configs (MMAction2 0.x metafile). */
    static final Map<String, Long> PARAMS = Map.of(
            "slowfast_r50_4x16x1_256e_kinetics400_rgb", 34_479_288L,
            "slowfast_r50_video_4x16x1_256e_kinetics400_rgb", 34_479_288L,
            "slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb", 34_479_288L,
            "slowfast_r50_8x8x1_256e_kinetics400_rgb", 34_565_560L,
            "slowfast_r101_r50_4x16x1_256e_kinetics400_rgb", 62_384_312L,
            "slowfast_r101_8x8x1_256e_kinetics400_rgb", 62_912_312L,
            "slowfast_r152_r50_4x16x1_256e_kinetics400_rgb", 84_843_704L,
            "slowfast_r50_16x8x1_22e_sthv1_rgb", 34_044_630L);

    /** Conv+fc GMACs at 32x256x256 that match the SlowFast paper's GFLOPs per view (fact sheet §6.2). */
    static final Map<String, Double> PAPER_GFLOPS = Map.of(
            "slowfast_r50_4x16x1_256e_kinetics400_rgb", 36.10,
            "slowfast_r50_video_4x16x1_256e_kinetics400_rgb", 36.10,
            "slowfast_prebn_r50_4x16x1_256e_kinetics400_rgb", 36.10,
            "slowfast_r50_8x8x1_256e_kinetics400_rgb", 65.71);



    static JsonNode json(String... args) throws Exception {
        CliRun r = CliRun.of(args);
        assertEquals(0, r.code(), r.err());
        return new ObjectMapper().readTree(r.out());
    }

    @Test
    void r50JsonAtTheTestInput() throws Exception {
        JsonNode j = json("info", SLOWFAST.resolve("slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml").toString(),
                "--json");
        assertEquals(34_479_288L, j.get("params").asLong());
        assertEquals(36.10, j.get("flops").asDouble() / 1e9, 0.005);
        assertEquals("[1,3,32,256,256]", j.get("input_shape").toString());
        assertEquals(642, j.get("state_dict").size());
        assertEquals("[]", j.get("state_dict").get("backbone.fast_path.layer4.2.conv3.bn.num_batches_tracked")
                .toString());
        assertEquals("[400,2304]", j.get("state_dict").get("cls_head.fc_cls.weight").toString());
        long stageParams = 0;
        for (JsonNode s : j.get("stages")) {
            stageParams += s.get("params").asLong();
        }
        assertEquals(34_479_288L, stageParams);
    }

    @Test
    void eightByEightAtAGivenShape() throws Exception {
        JsonNode j = json("info", SLOWFAST.resolve("slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml").toString(),
                "--json", "--shape", "1", "3", "32", "256", "256", "--cfg-options", "model.backbone.resample_rate=4",
                "model.backbone.speed_ratio=4", "model.backbone.slow_pathway.fusion_kernel=7");
        assertEquals(34_565_560L, j.get("params").asLong());
        assertEquals(65.71, j.get("flops").asDouble() / 1e9, 0.005);
    }

    /** get_flops.py's short forms: S, H W and N C H W take T (32) from the config's clip_len. */
    @Test
    void shortShapeFormsTakeTheClipLengthFromTheConfig() throws Exception {
        String cfg = SLOWFAST.resolve("slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml").toString();
        assertEquals("[1,3,32,224,224]", json("info", cfg, "--json", "--shape", "224").get("input_shape").toString());
        assertEquals("[1,3,32,340,256]", json("info", cfg, "--json", "--shape", "340", "256").get("input_shape")
                .toString());
        JsonNode four = json("info", cfg, "--json", "--shape", "1", "3", "256", "256");
        assertEquals("[1,3,32,256,256]", four.get("input_shape").toString());
        assertEquals(36.10, four.get("flops").asDouble() / 1e9, 0.005);
        CliRun three = CliRun.of("info", cfg, "--shape", "3", "256", "256");
        assertEquals(2, three.code());
        assertTrue(three.err().startsWith("error: --shape: expected positive S, H W, N C H W or N C T H W"),
                three.err());
    }

    @Test
    void everySeedConfigMatchesItsPublishedParameterCount() throws Exception {
        for (var e : PARAMS.entrySet()) {
            JsonNode j = json("info", SLOWFAST.resolve(e.getKey() + ".yaml").toString(), "--json");
            assertEquals(e.getValue(), j.get("params").asLong(), e.getKey());
            Double paperGflops = PAPER_GFLOPS.get(e.getKey());
            if (paperGflops != null) {
                assertEquals(paperGflops, j.get("flops").asDouble() / 1e9, 0.005, e.getKey());
            }
            int frames = e.getKey().contains("sthv1") ? 64 : 32;
            assertEquals("[1,3," + frames + ",256,256]", j.get("input_shape").toString(), e.getKey());
        }
    }

    @Test
    void tableAndErrors() {
        CliRun r = CliRun.of("info", SLOWFAST.resolve("slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml").toString());
        assertEquals(0, r.code());
        assertTrue(r.out().contains("params: 34,479,288 (34.48 M)"), r.out());
        assertTrue(r.out().contains("36.10 GFLOPs per view"), r.out());
        assertTrue(r.out().contains("| backbone.slow_path.layer3_lateral |"), r.out());
        CliRun bad = CliRun.of("info", SLOWFAST.resolve("slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml").toString(),
                "--cfg-options", "model.backbone.fast_pathway.depth=18");
        assertEquals(2, bad.code());
        assertTrue(bad.err().startsWith("error: ") && bad.err().contains("model.backbone.fast_pathway.depth"),
                bad.err());
        CliRun shortClip = CliRun.of("info", SLOWFAST.resolve("slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml").toString(),
                "--shape", "1", "3", "4", "64", "64");
        assertEquals(2, shortClip.code());
        assertTrue(shortClip.err().contains("shorter than model.backbone.resample_rate (8)"), shortClip.err());
    }
}
