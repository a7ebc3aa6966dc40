package org.slowfast.eval;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.slowfast.config.LoadedConfig;

/**
 * Inference time with and without {@code --fuse-conv-bn} (docs/benchmarks.md, "Inference"): an unfused and a fused
 * copy of the same model run the same input in alternation, so the load of a shared machine hits both alike; the
 * median of each is printed. Not a unit test. Run:
 * {@code java -Dai.djl.pytorch.num_threads=1 -cp target/classes:target/test-classes:$(cat cp.txt)
 * org.slowfast.eval.FuseConvBnBenchmark} after {@code mvn -q -pl core test-compile dependency:build-classpath
 * -Dmdep.outputFile=$PWD/cp.txt}.
 */
public final class FuseConvBnBenchmark {
    private FuseConvBnBenchmark() {}

    public static void main(String[] args) {
        Engine.getInstance();
        System.out.printf("intra-op threads: %d%n", JniUtils.getNumThreads());
        run("tiny (tiny_test.yaml)", Path.of("src/test/resources/eval/tiny_test.yaml"),
                new long[] {1, 6, 3, 8, 32, 32}, 300);
        run("R50 4x16, one view", Path.of("configs/recognition/slowfast/slowfast_r50_4x16x1_256e_kinetics400_rgb.yaml"),
                new long[] {1, 1, 3, 32, 256, 256}, 15);
    }

    private static void run(String name, Path config, long[] shape, int rounds) {
        LoadedConfig cfg = LoadedConfig.load(config, List.of());
        float[] input = new float[Math.toIntExact(Arrays.stream(shape).reduce(1, (a, b) -> a * b))];
        Random r = new Random(0);
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) r.nextGaussian();
        }
        try (InferenceModel plain = InferenceModel.load(cfg, null, Device.cpu(), null);
                InferenceModel fused = InferenceModel.load(cfg, null, Device.cpu(), null)) {
            fused.fuseConvBn();
            plain.predict(input, shape); // warm-up
            fused.predict(input, shape);
            double[] a = new double[rounds];
            double[] b = new double[rounds];
            for (int i = 0; i < rounds; i++) {
                a[i] = seconds(plain, input, shape);
                b[i] = seconds(fused, input, shape);
            }
            Arrays.sort(a);
            Arrays.sort(b);
            System.out.printf("%s %s, %d rounds: unfused min %.4f s / median %.4f s, fused min %.4f s / median "
                    + "%.4f s, speed-up %.2fx (min) %.2fx (median)%n", name, Arrays.toString(shape), rounds, a[0],
                    a[rounds / 2], b[0], b[rounds / 2], a[0] / b[0], a[rounds / 2] / b[rounds / 2]);
        }
    }

    private static double seconds(InferenceModel model, float[] input, long[] shape) {
        long start = System.nanoTime();
        model.predict(input, shape);
        return (System.nanoTime() - start) / 1e9;
    }
}
