package org.slowfast.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.util.List;
import org.junit.jupiter.api.Test;

/** 200 tiny training steps (forward, backward, plain SGD) and test-mode predictions leave no native arrays behind. */
class TrainingMemoryTest {
    @Test
    void trainingAndPredictionKeepTheArrayCountFlat() {
        try (NDManager manager = NDManager.newBaseManager()) {
            Recognizer3D m = TinyModels.initialized(manager, 3);
            ParameterStore ps = new ParameterStore(manager, false);
            List<Parameter> params = m.namedParameters().values().stream()
                    .filter(Parameter::requiresGradient).toList();
            Shape input = new Shape(2, 3, 8, 32, 32);
            int afterWarmUp = -1;
            float firstLoss = 0;
            float lastLoss = 0;
            NDArray fixed = TinyModels.input(manager, input, 99);
            for (int step = 0; step < 200; step++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray x = fixed.duplicate();
                    x.attach(batch);
                    NDArray labels = batch.create(new long[] {1, 3});
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = m.forward(ps, new NDList(x), true).singletonOrThrow();
                        NDArray loss = Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits));
                        gc.backward(loss);
                        lastLoss = loss.getFloat();
                        firstLoss = step == 0 ? lastLoss : firstLoss;
                    }
                    for (Parameter p : params) {
                        try (NDArray g = p.getArray().getGradient(); NDArray update = g.mul(0.02f)) {
                            p.getArray().subi(update);
                            g.muli(0);
                        }
                    }
                }
                if (step == 10) {
                    afterWarmUp = manager.getManagedArrays().size();
                }
            }
            assertEquals(afterWarmUp, manager.getManagedArrays().size(), "arrays after 200 steps");
            assertTrue(lastLoss < firstLoss, "SGD on one batch lowers the loss: " + firstLoss + " -> " + lastLoss);

            for (int i = 0; i < 20; i++) {
                try (NDManager batch = manager.newSubManager()) {
                    NDArray views = TinyModels.input(batch, new Shape(1, 3, 3, 8, 32, 32), i);
                    m.predict(ps, views);
                }
            }
            assertEquals(afterWarmUp, manager.getManagedArrays().size(), "arrays after predictions");
        }
    }
}
