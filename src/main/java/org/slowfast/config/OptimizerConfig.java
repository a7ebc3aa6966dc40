package org.slowfast.config;

/** {@code optimizer}: {@code torch.optim.SGD} arguments plus mmcv's {@code paramwise_cfg}. */
public record OptimizerConfig(
        String type,
        Double lr,
        Double momentum,
        Double dampening,
        Double weightDecay,
        Boolean nesterov,
        ParamwiseCfg paramwiseCfg) {

    public OptimizerConfig {
        if (type == null) {
            type = "SGD";
        }
        if (momentum == null) {
            momentum = 0.0;
        }
        if (dampening == null) {
            dampening = 0.0;
        }
        if (weightDecay == null) {
            weightDecay = 0.0;
        }
        if (nesterov == null) {
            nesterov = false;
        }
    }

    /** mmcv {@code DefaultOptimizerConstructor} multipliers; absent means 1. */
    public record ParamwiseCfg(
            Double lrMult, Double decayMult, Double biasLrMult, Double biasDecayMult, Double normDecayMult,
            Double dwconvDecayMult, Boolean bypassDuplicate) {}
}
