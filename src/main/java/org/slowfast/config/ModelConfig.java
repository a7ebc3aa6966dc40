package org.slowfast.config;

import java.util.Map;

/** {@code model}: a {@code Recognizer3D} with a {@code ResNet3dSlowFast} backbone and a {@code SlowFastHead}. */
public record ModelConfig(
        String type,
        BackboneConfig backbone,
        HeadConfig clsHead,
        Map<String, Object> trainCfg,
        TestCfg testCfg) {

    public ModelConfig {
        if (type == null) {
            type = "Recognizer3D";
        }
        if (testCfg == null) {
            testCfg = new TestCfg(null, null, null);
        }
    }

    /** {@code model.test_cfg}: how multi-view scores are averaged, and view chunking. */
    public record TestCfg(String averageClips, Integer maxTestingViews, Boolean featureExtraction) {}
}
