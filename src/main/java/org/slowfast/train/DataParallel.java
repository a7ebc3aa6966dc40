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
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.slowfast.config.OptimizerConfig;
import org.slowfast.model.Recognizer3D;
import org.slowfast.io.Tensor;
import org.slowfast.model.StateDicts;
import org.slowfast.model.StateEntry;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Collective;
import org.slowfast.runtime.SingleProcess;

/**
 * Synchronous data parallelism: one model replica per device, each run by its own thread (torch grad mode and the
 * intra-op thread count are per thread) on a contiguous 1/N slice of every batch. Replica gradients are averaged
 * into replica 0, which takes one optimizer step; the updated parameters are then copied to every other replica (on
 * the CPU the replicas read replica 0's parameter memory instead), so all replicas stay identical. BN running
 * statistics stay per replica (each normalizes with its own slice's batch statistics, as DDP without SyncBN).
 * Checkpoints and evaluation use replica 0.
 *
 * <p>On the CPU the replicas ({@link #replicaDevices}: one per core) run concurrently, each on one intra-op thread,
 * and keep their trainable parameters and gradients in {@link FlatParameters}, so the replica average, the gradient
 * norm and the SGD step (with the clip's scaling) are each one pass of Java arithmetic over the flat buffers, split
 * across the replica threads ({@link Chunks}). Each replica's dropout masks come from its own generator, seeded per
 * step from torch's global generator on the calling thread, so a run is bit-identical from run to run for a given
 * replica count whatever the thread scheduling.
 */
public final class DataParallel implements AutoCloseable {
    /** A model copy on one device. */
    public record Replica(Recognizer3D model, NDManager manager, ParameterStore store, Device device) {}

    /** What one training iteration logs (means over replicas, as DDP all-reduces them). */
    public record StepResult(double loss, double top1, double top5, double gradNorm) {}

    private final List<Replica> replicas = new ArrayList<>();
    private final List<List<Parameter>> parameters = new ArrayList<>();
    private final List<FlatParameters> flats = new ArrayList<>();
    private final TorchSgd optimizer;
    private final ExecutorService workers;
    private final Chunks chunks;
    private GradientAllReduce acrossProcesses = new GradientAllReduce(new SingleProcess());

    /**
     * The replica devices for the selected ones: the GPUs as given, or on the CPU one replica per
     * {@link CpuThreads#trainingThreadsPerReplica()} cores ({@link CpuThreads#trainingReplicas()}).
     */
    public static List<Device> replicaDevices(List<Device> selected) {
        if (selected.size() == 1 && !selected.get(0).isGpu()) {
            return Collections.nCopies(CpuThreads.trainingReplicas(), selected.get(0));
        }
        return selected;
    }

    /**
     * Builds one replica per device with {@code factory} and identical seeded weights, and the optimizer on
     * replica 0's parameters.
     *
     * @param inputShape a training input shape (N×3×T×H×W) for shape inference
     */
    public DataParallel(List<Device> devices, Supplier<Recognizer3D> factory, long seed, Shape inputShape,
            OptimizerConfig optimizerConfig) {
        for (Device d : devices) {
            Recognizer3D model = factory.get();
            NDManager manager = NDManager.newBaseManager(d);
            model.initializeWeights(manager, DataType.FLOAT32, seed, inputShape);
            replicas.add(new Replica(model, manager, new ParameterStore(manager, false), d));
            parameters.add(new ArrayList<>(model.namedParameters().values()));
        }
        optimizer = new TorchSgd(main().model().namedParameters(), optimizerConfig);
        boolean cpu = devices.stream().noneMatch(Device::isGpu);
        int intraOp = cpu ? CpuThreads.trainingThreadsPerReplica() : 1;
        workers = Executors.newFixedThreadPool(replicas.size(), r -> {
            Thread t = new Thread(() -> {
                CpuThreads.setIntraOpThreads(intraOp);
                r.run();
            }, "replica");
            t.setDaemon(true);
            return t;
        });
        chunks = new Chunks(workers, replicas.size());
        if (cpu) {
            List<List<Integer>> segments = optimizer.segments();
            for (int r = 0; r < replicas.size(); r++) {
                flats.add(new FlatParameters(parameters.get(r), segments, r == 0 ? null : flats.get(0)));
            }
            optimizer.useFlat(flats.get(0), chunks);
        }
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

    /**
     * Replica 0's trainable parameters and gradients in flat buffers (CPU training), or null on GPUs: a
     * cross-process all-reduce reads and writes the averaged gradients here ({@link FlatParameters#readGradients},
     * {@link FlatParameters#writeGradients}) between the replica average and the clip in {@link #step}.
     */
    public FlatParameters flat() {
        return flats.isEmpty() ? null : flats.get(0);
    }

    /** The optimizer, stepping replica 0's parameters. */
    public TorchSgd optimizer() {
        return optimizer;
    }

    /**
     * Loads a state dict into replica 0 ({@link StateDicts#load}), re-binds its flat parameters (the load swaps in
     * fresh tensors) and copies its whole state to the other replicas.
     */
    public void load(Map<String, Tensor> state, boolean strict, String source) {
        StateDicts.load(main().model(), state, strict, source);
        if (!flats.isEmpty()) {
            flats.get(0).bindParameters();
        }
        broadcastState();
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
                } else if (!s.parameter().requiresGradient()) {
                    assign(target.get(i).parameter().getArray(), s.parameter().getArray());
                }
            }
        }
        broadcastParameters();
    }

    /**
     * One synchronous iteration on a batch of {@code shape[0]} clips ({@code imgs} row-major, B×…): each replica
     * runs forward and backward on its slice, gradients are averaged, clipped when {@code maxNorm} is not null and
     * the optimizer steps. Returns the loss, batch accuracies and grad norm (NaN when not clipping).
     */
    public StepResult step(float[] imgs, long[] shape, int[] labels, Double maxNorm, double normType) {
        int batch = Math.toIntExact(shape[0]);
        int per = (batch + replicas.size() - 1) / replicas.size();
        int sampleSize = imgs.length / batch;
        long dropoutSeed;
        try (NDArray draw = main().manager().randomInteger(0, Long.MAX_VALUE, new Shape(1), DataType.INT64)) {
            dropoutSeed = draw.getLong();
        }
        List<Future<double[]>> futures = new ArrayList<>();
        for (int r = 0; r < replicas.size() && r * per < batch; r++) {
            Replica replica = replicas.get(r);
            int from = r * per;
            int to = Math.min(batch, from + per);
            long[] sliceShape = shape.clone();
            sliceShape[0] = to - from;
            float[] slice = Arrays.copyOfRange(imgs, from * sampleSize, to * sampleSize);
            int[] sliceLabels = Arrays.copyOfRange(labels, from, to);
            replica.model().clsHead().seedDropout(dropoutSeed + r * 0x9E3779B97F4A7C15L);
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
        boolean finite = Double.isFinite(loss);
        if (flats.isEmpty()) { // GPUs: torch ops on a replica thread
            join(workers.submit(() -> averageGradients(futures.size())));
            acrossProcesses.average(null, parameters.get(0)); // on the collective's own thread
            return new StepResult(loss, top1, top5, join(workers.submit(() -> clipAndStep(maxNorm, normType, finite))));
        }
        averageFlatGradients(futures.size());
        acrossProcesses.average(flat(), parameters.get(0));
        double gradNorm = maxNorm == null ? Double.NaN : GradClip.gradNorm(flat(), normType, chunks);
        if (finite) {
            optimizer.step(maxNorm == null ? 1f : GradClip.coefficient(maxNorm, gradNorm));
        }
        return new StepResult(loss, top1, top5, gradNorm);
    }

    /** Clips the averaged gradients and steps when the loss is finite; returns the grad norm (or NaN). */
    private double clipAndStep(Double maxNorm, double normType, boolean finite) {
        double gradNorm = maxNorm == null ? Double.NaN : GradClip.clipGradNorm(parameters.get(0), maxNorm, normType);
        if (finite) {
            optimizer.step();
            broadcastParameters();
        }
        return gradNorm;
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

    /**
     * {@link #averageGradients} on the flat buffers: a pass per active replica over each chunk, in replica order.
     * Replicas without a slice this step still hold zeroed gradients.
     */
    private void averageFlatGradients(int active) {
        FloatBuffer main = flats.get(0).grads().floats();
        chunks.run(main.capacity(), (from, to) -> {
            for (int r = 1; r < active; r++) {
                FloatBuffer other = flats.get(r).grads().floats();
                boolean last = r == active - 1;
                for (int i = from; i < to; i++) {
                    float sum = main.get(i) + other.get(i);
                    main.put(i, last ? sum / active : sum);
                    other.put(i, 0f);
                }
            }
            return 0;
        });
    }

    /** Copies replica 0's trainable parameters to the other replicas (on the CPU they share replica 0's values). */
    private void broadcastParameters() {
        if (!flats.isEmpty()) {
            return;
        }
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

    static <T> T join(Future<T> f) {
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
        optimizer.close();
        replicas.forEach(r -> r.manager().close());
    }
}
