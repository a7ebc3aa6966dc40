package org.slowfast.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.NDScope;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slowfast.SlowfastException;
import org.slowfast.config.OptimizerConfig;
import org.slowfast.io.Tensor;

/**
 * {@code torch.optim.SGD} (lr, momentum, dampening, nesterov, weight_decay) over parameters in
 * {@code model.named_parameters()} order, with param groups built as mmcv's DefaultOptimizerConstructor does: one
 * group for everything without {@code paramwise_cfg} (weight decay then applies to every parameter, BN and biases
 * included), one group per parameter with it ({@code bias_lr_mult}, {@code bias_decay_mult},
 * {@code norm_decay_mult}). Gradients are zeroed after each step. Momentum buffers export to and import from torch's
 * {@code optimizer.state_dict()} layout. On {@link FlatParameters} ({@link #useFlat}) the step is one pass of Java
 * float arithmetic over the flat buffers in concurrent chunks, in the order of the per-parameter path (torch ops),
 * which is the reference and the GPU path.
 */
public final class TorchSgd implements AutoCloseable {
    /** One torch param group: hyper-parameters and the indices of its parameters. */
    public static final class Group {
        final double initialLr;
        final double weightDecay;
        final List<Integer> indices;
        double lr;

        Group(double initialLr, double weightDecay, List<Integer> indices) {
            this.initialLr = initialLr;
            this.weightDecay = weightDecay;
            this.indices = indices;
            this.lr = initialLr;
        }

        public double lr() {
            return lr;
        }

        public double initialLr() {
            return initialLr;
        }

        public double weightDecay() {
            return weightDecay;
        }
    }

    private final List<Parameter> params;
    private final List<Group> groups = new ArrayList<>();
    private final double momentum;
    private final double dampening;
    private final boolean nesterov;
    private final NDArray[] buffers;
    private final NDManager manager;
    private FlatParameters flat;
    private Chunks flatChunks;
    private FlatBuffer flatMomentum;
    private boolean flatStarted;

    /** Builds the optimizer for these parameters (named as in the state dict; frozen ones included but skipped). */
    public TorchSgd(LinkedHashMap<String, Parameter> named, OptimizerConfig cfg) {
        if (!"SGD".equals(cfg.type())) {
            throw new SlowfastException("optimizer.type: unsupported optimizer '" + cfg.type() + "'; supported: SGD");
        }
        if (cfg.lr() == null) {
            throw new SlowfastException("optimizer.lr: missing");
        }
        params = new ArrayList<>(named.values());
        momentum = cfg.momentum();
        dampening = cfg.dampening();
        nesterov = cfg.nesterov();
        buffers = new NDArray[params.size()];
        manager = params.isEmpty() ? null : params.get(0).getArray().getManager().newSubManager();
        OptimizerConfig.ParamwiseCfg pw = cfg.paramwiseCfg();
        if (pw == null) {
            List<Integer> all = new ArrayList<>();
            for (int i = 0; i < params.size(); i++) {
                all.add(i);
            }
            groups.add(new Group(cfg.lr(), cfg.weightDecay(), all));
            return;
        }
        if (pw.lrMult() != null || pw.decayMult() != null) {
            throw new SlowfastException("optimizer.paramwise_cfg: lr_mult and decay_mult are only valid inside"
                    + " custom_keys, which this toolkit does not support");
        }
        int i = 0;
        for (Map.Entry<String, Parameter> e : named.entrySet()) {
            Parameter p = e.getValue();
            boolean isNorm = p.getType() == Parameter.Type.GAMMA || p.getType() == Parameter.Type.BETA;
            boolean isBias = e.getKey().endsWith("bias") && !isNorm;
            double lr = cfg.lr();
            double wd = cfg.weightDecay();
            if (isBias && pw.biasLrMult() != null) {
                lr *= pw.biasLrMult();
            }
            if (isNorm && pw.normDecayMult() != null) {
                wd *= pw.normDecayMult();
            } else if (isBias && pw.biasDecayMult() != null) {
                wd *= pw.biasDecayMult();
            }
            groups.add(new Group(lr, wd, List.of(i++)));
        }
    }

    public List<Group> groups() {
        return groups;
    }

    /**
     * The trainable parameter indices grouped by equal (initial LR, weight decay), in first-appearance order: the
     * layout of {@link FlatParameters} for this optimizer (each segment then takes one update).
     */
    List<List<Integer>> segments() {
        Map<List<Double>, List<Integer>> byHyper = new LinkedHashMap<>();
        for (Group g : groups) {
            for (int i : g.indices) {
                if (params.get(i).requiresGradient()) {
                    byHyper.computeIfAbsent(List.of(g.initialLr, g.weightDecay), k -> new ArrayList<>()).add(i);
                }
            }
        }
        return new ArrayList<>(byHyper.values());
    }

    /**
     * Steps on {@code flat} (built from this optimizer's parameters with {@link #segments()}) from now on, keeping
     * the momentum in a flat buffer of the same layout; the step runs on {@code chunks}.
     */
    void useFlat(FlatParameters flat, Chunks chunks) {
        this.flat = flat;
        this.flatChunks = chunks;
        this.flatMomentum = momentum != 0 ? flat.newBuffer() : null;
    }

    /** The current LR of param group 0, as mmcv logs it. */
    public double lr() {
        return groups.get(0).lr;
    }

    /** Sets every group's LR from the schedule at this position (mmcv scales each group's initial LR). */
    public void applySchedule(LrSchedule schedule, int epoch, long globalIter) {
        for (Group g : groups) {
            g.lr = schedule.lr(g.initialLr, epoch, globalIter);
        }
    }

    /** One {@code optimizer.step()} on the parameters' gradients, then {@code zero_grad()}. Grad mode must be off. */
    public void step() {
        step(1f);
    }

    /**
     * {@link #step()} on the gradients multiplied by {@code gradScale} (a gradient clip's coefficient, applied in
     * the same pass on flat parameters).
     */
    public void step(float gradScale) {
        if (flat != null) {
            stepFlat(gradScale);
            return;
        }
        for (Group group : groups) {
            for (int i : group.indices) {
                Parameter p = params.get(i);
                if (!p.requiresGradient()) {
                    continue;
                }
                NDArray w = p.getArray();
                try (NDScope scope = new NDScope()) {
                    NDArray g = gradScale == 1 ? w.getGradient() : w.getGradient().mul(gradScale);
                    NDArray d = group.weightDecay != 0 ? g.add(w.mul(group.weightDecay)) : g;
                    if (momentum != 0) {
                        NDArray buf = buffers[i];
                        if (buf == null) {
                            buf = d.duplicate();
                            NDScope.unregister(buf);
                            buf.attach(manager);
                            buffers[i] = buf;
                        } else {
                            buf.muli(momentum).addi(dampening != 0 ? d.mul(1 - dampening) : d);
                        }
                        d = nesterov ? d.add(buf.mul(momentum)) : buf;
                    }
                    w.subi(d.mul(group.lr));
                }
                JniUtils.zeroGrad((PtNDArray) w);
            }
        }
    }

    /**
     * The flat step, fused into one pass over each chunk of the buffers (torch's arithmetic, in the order
     * {@link #step(float)}'s per-parameter path runs it): scaled gradient plus weight decay, momentum, update,
     * gradient zeroed.
     */
    private void stepFlat(float gradScale) {
        FloatBuffer w = flat.values().floats();
        FloatBuffer g = flat.grads().floats();
        FloatBuffer buf = flatMomentum == null ? null : flatMomentum.floats();
        boolean started = flatStarted;
        float m = (float) momentum;
        float keep = (float) (1 - dampening);
        List<List<Integer>> segments = flat.segments();
        flatChunks.run(flat.size(), (from, to) -> {
            for (int s = 0; s < segments.size(); s++) {
                Group group = groupOf(segments.get(s).get(0));
                float lr = (float) group.lr;
                float wd = (float) group.weightDecay;
                int end = Math.min(to, flat.segmentEnd(s));
                for (int i = Math.max(from, flat.segmentStart(s)); i < end; i++) {
                    float wi = w.get(i);
                    float d = g.get(i) * gradScale;
                    if (wd != 0) {
                        d += wi * wd;
                    }
                    if (buf != null) {
                        float b = !started ? d : buf.get(i) * m + (dampening != 0 ? d * keep : d);
                        buf.put(i, b);
                        d = nesterov ? d + b * m : b;
                    }
                    w.put(i, wi - d * lr);
                    g.put(i, 0f);
                }
            }
            return 0;
        });
        flatStarted = true;
    }

    private Group groupOf(int index) {
        for (Group g : groups) {
            if (g.indices.contains(index)) {
                return g;
            }
        }
        throw new IllegalArgumentException("parameter " + index + " is in no group");
    }

    /** {@code optimizer.state_dict()}: {@code state} (index → momentum_buffer) and {@code param_groups}. */
    public Map<Object, Object> stateDict() {
        Map<Object, Object> state = new LinkedHashMap<>();
        for (int i = 0; i < buffers.length; i++) {
            float[] momentumBuffer = momentumBuffer(i);
            if (momentumBuffer != null) {
                Map<Object, Object> s = new LinkedHashMap<>();
                s.put("momentum_buffer", Tensor.ofFloats(params.get(i).getShape().getShape(), momentumBuffer));
                state.put(i, s);
            }
        }
        List<Object> paramGroups = new ArrayList<>();
        for (Group g : groups) {
            Map<Object, Object> m = new LinkedHashMap<>();
            m.put("lr", g.lr);
            m.put("momentum", momentum);
            m.put("dampening", dampening);
            m.put("weight_decay", g.weightDecay);
            m.put("nesterov", nesterov);
            m.put("maximize", false);
            m.put("foreach", null);
            m.put("initial_lr", g.initialLr);
            m.put("params", new ArrayList<Object>(g.indices));
            paramGroups.add(m);
        }
        Map<Object, Object> out = new LinkedHashMap<>();
        out.put("state", state);
        out.put("param_groups", paramGroups);
        return out;
    }

    private float[] momentumBuffer(int i) {
        if (flat == null) {
            return buffers[i] == null ? null : buffers[i].toFloatArray();
        }
        if (!flatStarted || flatMomentum == null || !params.get(i).requiresGradient()) {
            return null;
        }
        float[] out = new float[Math.toIntExact(params.get(i).getShape().size())];
        flatMomentum.read(flat.offset(i), out);
        return out;
    }

    /** Restores momentum buffers (and group LRs) from a torch SGD state dict; {@code source} names the file. */
    public void loadStateDict(Map<Object, Object> sd, String source) {
        if (!(sd.get("state") instanceof Map<?, ?> state) || !(sd.get("param_groups") instanceof List<?> pgs)) {
            throw new SlowfastException(source + ": optimizer: not a torch optimizer state dict (state, param_groups)");
        }
        int count = 0;
        for (Object g : pgs) {
            count += g instanceof Map<?, ?> m && m.get("params") instanceof List<?> l ? l.size() : 0;
        }
        if (count != params.size() || pgs.size() != groups.size()) {
            throw new SlowfastException(source + ": optimizer: " + pgs.size() + " param groups with " + count
                    + " parameters, but the model's optimizer has " + groups.size() + " groups with " + params.size());
        }
        for (int gi = 0; gi < groups.size(); gi++) {
            if (((Map<?, ?>) pgs.get(gi)).get("lr") instanceof Number lr) {
                groups.get(gi).lr = lr.doubleValue();
            }
        }
        for (int i = 0; i < buffers.length; i++) {
            if (buffers[i] != null) {
                buffers[i].close();
                buffers[i] = null;
            }
        }
        if (flatMomentum != null) {
            flatMomentum.fill(0f);
            flatStarted = false;
        }
        for (Map.Entry<?, ?> e : state.entrySet()) {
            int i = ((Number) e.getKey()).intValue();
            Object buf = e.getValue() instanceof Map<?, ?> m ? m.get("momentum_buffer") : null;
            if (buf == null) {
                continue;
            }
            if (i < 0 || i >= params.size() || !(buf instanceof Tensor t)
                    || !Arrays.equals(t.shape(), params.get(i).getShape().getShape())) {
                throw new SlowfastException(source + ": optimizer: state " + i
                        + " does not match the model's parameter of that index");
            }
            if (flat != null) {
                if (flatMomentum != null && params.get(i).requiresGradient()) {
                    flatMomentum.write(flat.offset(i), t.toFloats());
                    flatStarted = true;
                }
                continue;
            }
            NDArray w = params.get(i).getArray();
            buffers[i] = manager.create(t.toFloats(), params.get(i).getShape()).toType(w.getDataType(), false)
                    .toDevice(w.getDevice(), false);
            buffers[i].attach(manager);
        }
    }

    @Override
    public void close() {
        if (manager != null) {
            manager.close();
        }
    }
}
