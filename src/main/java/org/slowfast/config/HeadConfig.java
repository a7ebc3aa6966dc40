package org.slowfast.config;

import com.fasterxml.jackson.annotation.JsonFormat;
import java.util.List;
import java.util.Map;

/** {@code model.cls_head}: {@code SlowFastHead}. Defaults are the class defaults of MMAction2 0.x. */
public record HeadConfig(
        String type,
        Integer numClasses,
        Integer inChannels,
        Map<String, Object> lossCls,
        String spatialType,
        Double dropoutRatio,
        Double initStd,
        Boolean multiClass,
        Double labelSmoothEps,
        @JsonFormat(with = JsonFormat.Feature.ACCEPT_SINGLE_VALUE_AS_ARRAY) List<Integer> topk) {

    public HeadConfig {
        if (type == null) {
            type = "SlowFastHead";
        }
        if (spatialType == null) {
            spatialType = "avg";
        }
        if (dropoutRatio == null) {
            dropoutRatio = 0.8;
        }
        if (initStd == null) {
            initStd = 0.01;
        }
        if (multiClass == null) {
            multiClass = false;
        }
        if (labelSmoothEps == null) {
            labelSmoothEps = 0.0;
        }
        if (topk == null) {
            topk = List.of(1, 5);
        }
    }
}
