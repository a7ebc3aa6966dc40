package org.slowfast.train;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slowfast.model.Recognizer3D;
import org.slowfast.model.StateEntry;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.SingleProcess;

/**
 * Synchronous data parallelism: one model replica per device, each run by its own thread (torch grad mode is
 * thread-local) on a contiguous 1/N slice of every batch. Replica gradients are averaged into replica 0, which takes
 * one optimizer step; the updated parameters are then copied to every other replica, so all replicas stay identical.
 * BN running statistics stay per replica. Checkpoints and evaluation use replica 0. With one device this is plain
 * single-device training.
 */
public final class DataParallel implements AutoCloseable {
    /** A model copy on one device. */
    public record Replica(Recognizer3D model, NDManager manager, ParameterStore store, Device device) {}

    /** What one training iteration logs (means over replicas, as DDP all-reduces them). */
    public record StepResult(double loss, double top1, double top5, double gradNorm) {}

    private final List<Replica> replicas = new ArrayList<>();
    private final List<List<Parameter>> parameters = new ArrayList<>();
    private final ExecutorService workers;
    private GradientAllReduce acrossProcesses = new GradientAllReduce(new SingleProcess());

    /**
     * Builds one replica per device with {@code factory} and identical seeded weights.
     *
     * @param inputShape a training input shape (N×3×T×H×W) for shape inference
     */
    public DataParallel(List<Device> devices, Supplier<Recognizer3D> factory, long seed, Shape inputShape) {
        for (Device d : devices) {
            Recognizer3D model = factory.get();
            NDManager manager = NDManager.newBaseManager(d);
            model.initializeWeights(manager, DataType.FLOAT32, seed, inputShape);
            replicas.add(new Replica(model, manager, new ParameterStore(manager, false), d));
            parameters.add(new ArrayList<>(model.namedParameters().values()));
        }
        // CPU replicas share torch's global generator (dropout), so they run one after another in a fixed order.
        int threads = devices.stream().allMatch(Device::isGpu) ? devices.size() : 1;
        workers = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "replica");
            t.setDaemon(true);
            return t;
        });
        broadcastState();
    }

    /** Averages gradients also over the processes of {@code collective} (multi-process training). */
    public void acrossProcesses(Collective collective) {
        acrossProcesses = new GradientAllReduce(collective);
    }

    public Replica main() {
        return replicas.get(0);
    }

    public List<Replica> replicas() {
        return replicas;
    }

    /** Copies replica 0's whole state (parameters, BN buffers, counters) to the other replicas. */
    public void broadcastState() {
        List<StateEntry> source = replicas.get(0).model().stateEntries();
        for (int r = 1; r < replicas.size(); r++) {
            List<StateEntry> target = replicas.get(r).model().stateEntries();
            for (int i = 0; i < source.size(); i++) {
                StateEntry s = source.get(i);
                if (s.kind() == StateEntry.Kind.COUNTER) {
                    target.get(i).counterOwner().setNumBatchesTracked(s.counterOwner().numBatchesTracked());
                } else {
                    assign(target.get(i).parameter().getArray(), s.parameter().getArray());
                }
            }
        }
    }

    /**
     * One synchronous iteration on a batch of {@code shape[0]} clips ({@code imgs} row-major, B×…): each replica
     * runs forward and backward on its slice, gradients are averaged, clipped when {@code maxNorm} is not null and
     * {@code optimizer} (built on replica 0's parameters) steps. Returns the loss, batch accuracies and grad norm
     * (NaN when not clipping).
     */
    public StepResult step(float[] imgs, long[] shape, int[] labels, TorchSgd optimizer, Double maxNorm,
            double normType) {
        int batch = Math.toIntExact(shape[0]);
        int per = (batch + replicas.size() - 1) / replicas.size();
        int sampleSize = imgs.length / batch;
        List<Future<double[]>> futures = new ArrayList<>();
        for (int r = 0; r < replicas.size() && r * per < batch; r++) {
            Replica replica = replicas.get(r);
            int from = r * per;
            int to = Math.min(batch, from + per);
            long[] sliceShape = shape.clone();
            sliceShape[0] = to - from;
            float[] slice = Arrays.copyOfRange(imgs, from * sampleSize, to * sampleSize);
            int[] sliceLabels = Arrays.copyOfRange(labels, from, to);
            futures.add(workers.submit(() -> forwardBackward(replica, slice, sliceShape, sliceLabels)));
        }
        double loss = 0;
        double top1 = 0;
        double top5 = 0;
        for (Future<double[]> f : futures) {
            double[] v = join(f);
            loss += v[0] / futures.size();
            top1 += v[1] / futures.size();
            top5 += v[2] / futures.size();
        }
        averageGradients(futures.size());
        List<Parameter> mainParams = parameters.get(0);
        acrossProcesses.average(mainParams);
        double gradNorm = maxNorm == null ? Double.NaN : GradClip.clipGradNorm(mainParams, maxNorm, normType);
        if (Double.isFinite(loss)) {
            optimizer.step();
            broadcastParameters();
        }
        return new StepResult(loss, top1, top5, gradNorm);
    }

    private static double[] forwardBackward(Replica replica, float[] imgs, long[] shape, int[] labels) {
        try (NDManager scope = replica.manager().newSubManager()) {
            NDArray input = scope.create(imgs, new Shape(shape));
            NDArray target = scope.create(labels);
            return Autograd.withGrad(() -> {
                NDArray logits = replica.model().forward(replica.store(), new ai.djl.ndarray.NDList(input), true)
                        .head();
                NDArray loss = Losses.crossEntropy(logits, target);
                Autograd.backward(loss);
                double[] acc = Losses.topKAccuracy(logits.toFloatArray(), labels, Math.toIntExact(
                        logits.getShape().get(1)));
                return new double[] {loss.getFloat(), acc[0], acc[1]};
            });
        }
    }

    /** Sums every replica's gradients into replica 0's, divides by the replica count, zeroes the others. */
    private void averageGradients(int active) {
        if (replicas.size() == 1) {
            return;
        }
        List<Parameter> mainParams = parameters.get(0);
        for (int i = 0; i < mainParams.size(); i++) {
            Parameter p = mainParams.get(i);
            if (!p.requiresGradient()) {
                continue;
            }
            try (NDArray g = p.getArray().getGradient()) {
                for (int r = 1; r < active; r++) {
                    NDArray other = parameters.get(r).get(i).getArray();
                    try (NDArray og = other.getGradient(); NDArray moved = og.toDevice(g.getDevice(), true)) {
                        g.addi(moved);
                    }
                }
                g.divi(active);
            }
            for (int r = 1; r < replicas.size(); r++) {
                JniUtils.zeroGrad((PtNDArray) parameters.get(r).get(i).getArray());
            }
        }
    }

    private void broadcastParameters() {
        List<Parameter> mainParams = parameters.get(0);
        for (int r = 1; r < replicas.size(); r++) {
            for (int i = 0; i < mainParams.size(); i++) {
                if (mainParams.get(i).requiresGradient()) {
                    assign(parameters.get(r).get(i).getArray(), mainParams.get(i).getArray());
                }
            }
        }
    }

    /** Overwrites {@code target} in place with {@code source}'s values (across devices). */
    static void assign(NDArray target, NDArray source) {
        source.copyTo(target);
    }

    private static <T> T join(Future<T> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        workers.shutdownNow();
        replicas.forEach(r -> r.manager().close());
    }
}
