package org.slowfast.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;
import org.slowfast.config.LrConfig;

/** LR curves against mmcv's LrUpdaterHook formulas, evaluated by hand (fact sheet §4.5). */
class LrScheduleTest {
    static final double EPS = 1e-12;

    @Test
    void kinetics400CosineWithLinearWarmupByEpoch() {
        // lr_config: CosineAnnealing, min_lr 0, linear warmup over 34 epochs (ratio 0.1); 256 epochs of 100 iters.
        LrSchedule s = new LrSchedule(new LrConfig("CosineAnnealing", null, "linear", 34, null, true, 0.0, null,
                null, null), 256, 100, false);
        // iter 0: 0.1 * (1 - (1 - 0) * 0.9)
        assertEquals(0.01, s.lr(0.1, 0, 0), EPS);
        // epoch 10, global iter 1050: 0.05 * (1 + cos(pi * 10 / 256)) * (0.1 + 0.9 * 1050 / 3400)
        assertEquals(0.03765200296999033, s.lr(0.1, 10, 1050), EPS);
        // last warmup iter 3399 (epoch 33)
        assertEquals(0.09593029254823053, s.lr(0.1, 33, 3399), EPS);
        // iter 3400 = warmup end: the regular LR of epoch 34, 0.05 * (1 + cos(pi * 34 / 256))
        assertEquals(0.09571048778517655, s.lr(0.1, 34, 3400), EPS);
        assertEquals(0.09571048778517655, s.lr(0.1, 34, 3499), EPS);
        assertEquals(3.764908042774851e-06, s.lr(0.1, 255, 25599), EPS);
    }

    @Test
    void sthv1StepWithLinearWarmupByIteration() {
        // lr_config: step [14, 18], gamma 0.1, linear warmup over 510 iterations; base 0.06; 500 iters per epoch.
        LrSchedule s = new LrSchedule(new LrConfig("step", null, "linear", 510, null, false, null, null,
                List.of(14, 18), null), 22, 500, false);
        assertEquals(0.006, s.lr(0.06, 0, 0), EPS);
        assertEquals(0.06 * 0.55, s.lr(0.06, 0, 255), EPS); // 0.1 + 0.9 * 255/510
        assertEquals(0.06, s.lr(0.06, 1, 510), EPS);
        assertEquals(0.06, s.lr(0.06, 13, 6999), EPS);
        assertEquals(0.006, s.lr(0.06, 14, 7000), EPS);
        assertEquals(0.0006, s.lr(0.06, 18, 9000), EPS);
        assertEquals(0.0006, s.lr(0.06, 21, 10999), EPS);
    }

    @Test
    void warmupScalesTheRegularLrOfTheCurrentEpoch() {
        // step at epoch 1 while warmup (by iteration, 30 iters of 10-iter epochs) is still running; constant warmup
        LrSchedule s = new LrSchedule(new LrConfig("step", null, "constant", 30, 0.5, false, null, null,
                List.of(1), 0.5), 5, 10, false);
        assertEquals(0.05, s.lr(0.1, 0, 9), EPS);
        assertEquals(0.025, s.lr(0.1, 1, 10), EPS);
        assertEquals(0.05, s.lr(0.1, 1, 30), EPS);
    }

    @Test
    void cosineByIterationWithMinLrRatioAndExpWarmup() {
        // base 0.2, min_lr_ratio 0.01, by_epoch false over 10 epochs x 10 iters, exp warmup 20 iters ratio 0.01
        LrSchedule s = new LrSchedule(new LrConfig("CosineAnnealing", false, "exp", 20, 0.01, false, null, 0.01,
                null, null), 10, 10, false);
        assertEquals(0.006286011763696116, s.lr(0.2, 0, 5), EPS); // cos value * 0.01^(1 - 5/20)
        assertEquals(0.1810926824431198, s.lr(0.2, 2, 20), EPS);
        assertEquals(0.0020488505237925714, s.lr(0.2, 9, 99), EPS);
    }

    @Test
    void integerStepIsAPeriod() {
        LrSchedule s = new LrSchedule(new LrConfig("step", null, null, null, null, null, null, null, List.of(3), 0.5),
                10, 4, true);
        assertEquals(1.0, s.lr(1.0, 2, 8), EPS);
        assertEquals(0.5, s.lr(1.0, 3, 12), EPS);
        assertEquals(0.25, s.lr(1.0, 7, 28), EPS);
    }

    @Test
    void invalidSchedulesAreUserErrors() {
        assertThrows(SlowfastException.class, () -> new LrSchedule(new LrConfig("CosineAnnealing", null, null, null,
                null, null, null, null, null, null), 1, 1, false));
        assertThrows(SlowfastException.class, () -> new LrSchedule(new LrConfig("poly", null, null, null,
                null, null, null, null, null, null), 1, 1, false));
        assertThrows(SlowfastException.class, () -> new LrSchedule(new LrConfig("step", null, "linear", 0,
                null, null, null, null, List.of(1), null), 1, 1, false));
    }
}
