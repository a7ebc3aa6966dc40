package org.slowfast.runtime;

import java.util.Arrays;
import java.util.Map;

/**
 * All-reduce time of {@link Collective} for one float buffer (R50's gradient: 34.5M floats), the number in
 * docs/benchmarks.md, "Distributed". Not a unit test. Start one JVM per rank with torchrun's variables:
 * {@code for r in 0 1; do RANK=$r WORLD_SIZE=2 MASTER_ADDR=127.0.0.1 MASTER_PORT=29560 java -cp
 * target/classes:target/test-classes:$(cat cp.txt) org.slowfast.runtime.AllReduceBenchmark 34500000 10 & done}
 * after {@code mvn -q -pl core test-compile dependency:build-classpath -Dmdep.outputFile=$PWD/cp.txt}. Rank 0 prints the times.
 */
public final class AllReduceBenchmark {
    private AllReduceBenchmark() {}

    public static void main(String[] args) {
        int n = Integer.parseInt(args[0]);
        int iterations = Integer.parseInt(args[1]);
        LaunchEnv env = LaunchEnv.resolve("pytorch", System.getenv(), Map.of());
        Collective c = Collective.open(env);
        float[] buf = new float[n];
        double[] ms = new double[iterations];
        for (int it = -1; it < iterations; it++) { // one warm-up
            Arrays.fill(buf, c.rank() + 1);
            long t = System.nanoTime();
            c.allReduce(buf);
            if (it >= 0) {
                ms[it] = (System.nanoTime() - t) / 1e6;
            }
            float expected = c.worldSize() * (c.worldSize() + 1) / 2f;
            if (buf[0] != expected || buf[n - 1] != expected) {
                throw new IllegalStateException("wrong sum " + buf[0] + ", expected " + expected);
            }
        }
        c.close();
        if (c.rank() == 0) {
            double[] sorted = ms.clone();
            Arrays.sort(sorted);
            System.out.printf("%d floats, %d processes: median %.1f ms, min %.1f ms, max %.1f ms (%.2f GB/s)%n",
                    n, c.worldSize(), sorted[iterations / 2], sorted[0], sorted[iterations - 1],
                    n * 4.0 / 1e9 / (sorted[iterations / 2] / 1e3));
        }
    }
}
