package org.slowfast.train;

import java.util.List;
import org.slowfast.SlowfastException;
import org.slowfast.config.LrConfig;

/**
 * mmcv's LrUpdaterHook as a pure function of the training position: {@code CosineAnnealing}, {@code step} or
 * {@code fixed}, with optional {@code linear}, {@code constant} or {@code exp} warmup. With {@code by_epoch} the
 * regular LR is recomputed at each epoch start from the 0-based epoch; otherwise per iteration from the 0-based
 * global iteration. Warmup always runs per iteration over the first {@code warmup_iters} global iterations
 * ({@code warmup_iters} epochs × iterations per epoch with {@code warmup_by_epoch}), scaling that regular LR.
 */
public final class LrSchedule {
    private enum Policy { COSINE, STEP, FIXED }

    private enum Warmup { NONE, LINEAR, CONSTANT, EXP }

    private final Policy policy;
    private final boolean byEpoch;
    private final Warmup warmup;
    private final long warmupIters;
    private final double warmupRatio;
    private final Double minLr;
    private final Double minLrRatio;
    private final List<Integer> steps;
    private final boolean stepIsPeriod;
    private final double gamma;
    private final int maxEpochs;
    private final long epochLength;

    /**
     * @param cfg the {@code lr_config} dict ({@code null}: a fixed LR)
     * @param maxEpochs {@code total_epochs}
     * @param epochLength training iterations per epoch
     * @param stepIsPeriod {@code step} was a single integer (decay every {@code step}), not a list of milestones
     */
    public LrSchedule(LrConfig cfg, int maxEpochs, long epochLength, boolean stepIsPeriod) {
        this.stepIsPeriod = stepIsPeriod;
        this.maxEpochs = maxEpochs;
        this.epochLength = epochLength;
        if (cfg == null) {
            cfg = new LrConfig("fixed", null, null, null, null, null, null, null, null, null);
        }
        String p = cfg.policy() == null ? "" : cfg.policy();
        policy = switch (p) {
            case "CosineAnnealing", "cosineannealing" -> Policy.COSINE;
            case "step", "Step" -> Policy.STEP;
            case "fixed", "Fixed" -> Policy.FIXED;
            default -> throw new SlowfastException("lr_config.policy: unsupported policy '" + p
                    + "'; supported: CosineAnnealing, step, fixed");
        };
        byEpoch = cfg.byEpoch();
        warmup = switch (cfg.warmup() == null ? "none" : cfg.warmup()) {
            case "none" -> Warmup.NONE;
            case "linear" -> Warmup.LINEAR;
            case "constant" -> Warmup.CONSTANT;
            case "exp" -> Warmup.EXP;
            default -> throw new SlowfastException("lr_config.warmup: unsupported warmup '" + cfg.warmup()
                    + "'; supported: linear, constant, exp");
        };
        if (warmup != Warmup.NONE) {
            if (cfg.warmupIters() <= 0) {
                throw new SlowfastException("lr_config.warmup_iters: must be positive when warmup is set");
            }
            if (cfg.warmupRatio() <= 0 || cfg.warmupRatio() > 1) {
                throw new SlowfastException("lr_config.warmup_ratio: must be in (0, 1]");
            }
        }
        warmupIters = cfg.warmupByEpoch() ? (long) cfg.warmupIters() * epochLength : cfg.warmupIters();
        warmupRatio = cfg.warmupRatio();
        minLr = cfg.minLr();
        minLrRatio = cfg.minLrRatio();
        if (policy == Policy.COSINE && (minLr == null) == (minLrRatio == null)) {
            throw new SlowfastException("lr_config: CosineAnnealing needs exactly one of min_lr and min_lr_ratio");
        }
        steps = cfg.step();
        if (policy == Policy.STEP && (steps == null || steps.isEmpty())) {
            throw new SlowfastException("lr_config.step: the step policy needs a step list (or one step size)");
        }
        gamma = cfg.gamma();
    }

    /**
     * The LR of the iteration at 0-based {@code epoch} and 0-based global iteration {@code globalIter}, for a
     * param group whose initial LR is {@code baseLr}.
     */
    public double lr(double baseLr, int epoch, long globalIter) {
        double regular = regular(baseLr, byEpoch ? epoch : globalIter, byEpoch ? maxEpochs : (long) maxEpochs * epochLength);
        if (warmup == Warmup.NONE || globalIter >= warmupIters) {
            return regular;
        }
        double progress = (double) globalIter / warmupIters;
        return switch (warmup) {
            case CONSTANT -> regular * warmupRatio;
            case LINEAR -> regular * (1 - (1 - progress) * (1 - warmupRatio));
            case EXP -> regular * Math.pow(warmupRatio, 1 - progress);
            case NONE -> regular;
        };
    }

    private double regular(double baseLr, long progress, long maxProgress) {
        return switch (policy) {
            case FIXED -> baseLr;
            case COSINE -> {
                double target = minLrRatio != null ? baseLr * minLrRatio : minLr;
                yield target + 0.5 * (baseLr - target) * (Math.cos(Math.PI * progress / maxProgress) + 1);
            }
            case STEP -> {
                int exp;
                if (stepIsPeriod) {
                    exp = (int) (progress / steps.get(0));
                } else {
                    exp = steps.size();
                    for (int i = 0; i < steps.size(); i++) {
                        if (progress < steps.get(i)) {
                            exp = i;
                            break;
                        }
                    }
                }
                double lr = baseLr * Math.pow(gamma, exp);
                yield minLr != null ? Math.max(lr, minLr) : lr;
            }
        };
    }
}
