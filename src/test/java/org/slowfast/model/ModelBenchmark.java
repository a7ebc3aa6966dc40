package org.slowfast.model;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import ai.djl.training.loss.Loss;
import java.nio.file.Path;
import java.util.List;
import org.slowfast.config.LoadedConfig;

/**
 * Forward and forward+backward time per clip of the tiny test model and of R50 4x16 at a reduced input (the numbers
 * in docs/benchmarks.md, "Model"). Not a unit test. Run:
 * {@code java -Dai.djl.pytorch.num_threads=1 -cp target/classes:target/test-classes:$(cat cp.txt)
 * org.slowfast.model.ModelBenchmark} after {@code mvn -q -pl core test-compile dependency:build-classpath
 * -Dmdep.outputFile=$PWD/cp.txt}.
 */
public final class ModelBenchmark {
    private ModelBenchmark() {}

    public static void main(String[] args) {
        Engine.getInstance();
        System.out.printf("intra-op threads: %d%n", JniUtils.getNumThreads());
        run("tiny (tiny.yaml)", Path.of("src/test/resources/model/tiny.yaml"), new Shape(2, 3, 8, 32, 32), 20);
        run("R50 4x16", Path.of("configs/recognition/slowfast/slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml"),
                new Shape(1, 3, 32, 112, 112), 3);
    }

    private static void run(String name, Path config, Shape input, int iterations) {
        try (NDManager manager = NDManager.newBaseManager()) {
            Recognizer3D m = Recognizer3D.build(LoadedConfig.load(config, List.of()));
            m.initializeWeights(manager, DataType.FLOAT32, 0, input);
            ParameterStore ps = new ParameterStore(manager, false);
            List<Parameter> params = m.namedParameters().values().stream().toList();
            NDArray x = TinyModels.input(manager, input, 1);
            NDArray labels = manager.zeros(new Shape(input.get(0)), DataType.INT64);
            double fwd = 0;
            double fwdBwd = 0;
            for (int i = 0; i <= iterations; i++) { // iteration 0 warms up
                try (NDManager step = manager.newSubManager()) {
                    NDArray xi = x.duplicate();
                    xi.attach(step);
                    long t0 = System.nanoTime();
                    m.forward(ps, new NDList(xi), false).singletonOrThrow().toFloatArray();
                    long t1 = System.nanoTime();
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray logits = m.forward(ps, new NDList(xi), true).singletonOrThrow();
                        gc.backward(Loss.softmaxCrossEntropyLoss().evaluate(new NDList(labels), new NDList(logits)));
                    }
                    long t2 = System.nanoTime();
                    for (Parameter p : params) {
                        if (p.requiresGradient()) {
                            try (NDArray g = p.getArray().getGradient()) {
                                g.muli(0);
                            }
                        }
                    }
                    if (i > 0) {
                        fwd += (t1 - t0) / 1e6;
                        fwdBwd += (t2 - t1) / 1e6;
                    }
                }
            }
            double clips = input.get(0) * (double) iterations;
            System.out.printf("%s, input %s: forward (eval) %.1f ms/clip, forward+backward (train) %.1f ms/clip"
                    + " (%d iterations)%n", name, input, fwd / clips, fwdBwd / clips, iterations);
        }
    }
}
