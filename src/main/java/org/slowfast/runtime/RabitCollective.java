package org.slowfast.runtime;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Communicator;
import ml.dmlc.xgboost4j.java.RabitTracker;
import ml.dmlc.xgboost4j.java.XGBoostError;
import ml.dmlc.xgboost4j.java.XGBoostJNI;
import org.slowfast.SlowfastException;

/**
 * The collective on XGBoost4J's communicator (Rabit: ring all-reduce over TCP, the engine of xgboost4j-spark). Rank 0
 * hosts the rendezvous ({@link RabitTracker}) on MASTER_PORT; every process, rank 0 included, then joins as a worker
 * pinned to its launcher rank ({@code dmlc_task_id}, zero-padded because the tracker sorts task ids as strings).
 * Waits for peers are bounded by {@link LaunchEnv#timeoutSeconds()} (Rabit's poll timeout); a killed peer closes its
 * sockets and fails the next all-reduce at once.
 *
 * <p>XGBoost keeps the communicator per thread: every operation must come from the thread that opened it.
 *
 * <p>All-reduce goes through the JNI entry point directly, with one reused direct buffer and its status checked:
 * {@link Communicator#allReduce} ignores the status (a failed all-reduce returns the unreduced input) and allocates a
 * direct buffer per call.
 */
public final class RabitCollective implements Collective {
    private static final MethodHandle ALLREDUCE = allReduceHandle();
    private static final int FLOAT32 = Communicator.DataType.FLOAT32.getEnumOp();
    private static final int SUM = Communicator.OpType.SUM.getOperand();

    private final LaunchEnv env;
    private final RabitTracker tracker;
    /** Launcher rank of each Rabit rank (the tracker orders workers by host first, so they may differ). */
    private final int[] launcherRankOf;
    private final int rabitRank;
    private final Thread owner = Thread.currentThread();
    private ByteBuffer direct = ByteBuffer.allocateDirect(0);
    private boolean failed;

    private RabitCollective(LaunchEnv env, RabitTracker tracker, int rabitRank, int[] launcherRankOf) {
        this.env = env;
        this.tracker = tracker;
        this.rabitRank = rabitRank;
        this.launcherRankOf = launcherRankOf;
    }

    /** Joins the job of {@code env}: rank 0 starts the tracker first; all wait until every rank has joined. */
    public static RabitCollective open(LaunchEnv env) {
        String master = resolve(env);
        RabitTracker tracker = env.rank() == 0 ? startTracker(env) : null;
        try {
            join(env, master);
            int world = Communicator.getWorldSize();
            if (world != env.worldSize()) {
                throw new SlowfastException(env.describe() + ": the collective has " + world
                        + " processes, the launcher says " + env.worldSize());
            }
            int rabitRank = Communicator.getRank();
            RabitCollective c = new RabitCollective(env, tracker, rabitRank, null);
            float[] table = new float[world];
            table[rabitRank] = env.rank();
            c.allReduce(table);
            int[] ranks = new int[world];
            boolean[] seen = new boolean[world];
            for (int i = 0; i < world; i++) {
                ranks[i] = (int) table[i];
                if (seen[ranks[i]]) {
                    throw new SlowfastException(env.describe() + ": two processes were started with rank " + ranks[i]
                            + " (each needs its own RANK / SLURM_PROCID)");
                }
                seen[ranks[i]] = true;
            }
            return new RabitCollective(env, tracker, rabitRank, ranks);
        } catch (XGBoostError e) {
            throw new SlowfastException(env.describe() + ": the collective failed to start: " + firstLine(e));
        }
    }

    /** MASTER_ADDR's IPv4 address (XGBoost's collective speaks IPv4). */
    private static String resolve(LaunchEnv env) {
        try {
            for (InetAddress a : InetAddress.getAllByName(env.masterAddr())) {
                if (a instanceof Inet4Address) {
                    return a.getHostAddress();
                }
            }
            throw new SlowfastException(env.describe() + ": MASTER_ADDR '" + env.masterAddr()
                    + "' has no IPv4 address (the collective runs over IPv4)");
        } catch (UnknownHostException e) {
            throw new SlowfastException(env.describe() + ": MASTER_ADDR '" + env.masterAddr()
                    + "' does not resolve to an address");
        }
    }

    private static RabitTracker startTracker(LaunchEnv env) {
        try {
            // all interfaces, as torch's TCPStore: workers reach it at MASTER_ADDR
            RabitTracker t = new RabitTracker(env.worldSize(), "0.0.0.0", env.masterPort(), env.timeoutSeconds());
            t.start();
            return t;
        } catch (XGBoostError e) {
            String msg = String.valueOf(e.getMessage());
            if (msg.contains("in use") || msg.contains("bind")) {
                throw new SlowfastException("rank 0: MASTER_PORT " + env.masterPort() + " is busy on this machine "
                        + "(another job, or a previous run's socket not yet released); set another MASTER_PORT");
            }
            throw new SlowfastException("rank 0: cannot start the rendezvous on port " + env.masterPort() + ": "
                    + firstLine(e));
        }
    }

    /** Communicator.init, retried while the tracker is not up yet, for at most the timeout. */
    private static void join(LaunchEnv env, String master) {
        Map<String, Object> cfg = new HashMap<>();
        cfg.put("dmlc_communicator", "rabit");
        cfg.put("dmlc_tracker_uri", master);
        cfg.put("dmlc_tracker_port", env.masterPort());
        cfg.put("dmlc_task_id", String.format("%08d", env.rank()));
        cfg.put("dmlc_timeout", env.timeoutSeconds());
        long deadline = System.nanoTime() + env.timeoutSeconds() * 1_000_000_000L;
        // XGBoost's own warnings (a retry per connect attempt while rank 0 starts) off: failures are reported below
        XGBoostJNI.XGBSetGlobalConfig("{\"verbosity\": 0}");
        while (true) {
            try {
                Communicator.init(cfg);
                return;
            } catch (XGBoostError e) {
                String msg = String.valueOf(e.getMessage());
                boolean noTracker = msg.contains("connect to the tracker");
                if (noTracker && System.nanoTime() < deadline) {
                    sleep(1000);
                    continue;
                }
                throw new SlowfastException(env.describe() + (noTracker
                        ? ": cannot reach the master at " + env.masterAddr() + ":" + env.masterPort() + " within "
                                + env.timeoutSeconds() + " s (MASTER_ADDR/MASTER_PORT; is rank 0 running?)"
                        : ": not all " + env.worldSize() + " processes joined within " + env.timeoutSeconds()
                                + " s (" + firstLine(e) + ")"));
            }
        }
    }

    @Override
    public int rank() {
        return env.rank();
    }

    @Override
    public int worldSize() {
        return env.worldSize();
    }

    @Override
    public synchronized void allReduce(float[] buffer) {
        if (failed || Thread.currentThread() != owner) {
            throw new IllegalStateException(failed ? "the collective has failed"
                    : "the collective belongs to thread " + owner.getName());
        }
        if (direct.capacity() < buffer.length * Float.BYTES) {
            direct = ByteBuffer.allocateDirect(buffer.length * Float.BYTES).order(ByteOrder.nativeOrder());
        }
        FloatBuffer floats = direct.clear().asFloatBuffer();
        floats.put(buffer);
        int status;
        try {
            status = (int) ALLREDUCE.invokeExact(direct, buffer.length, FLOAT32, SUM);
        } catch (Throwable t) {
            throw new IllegalStateException("XGBoost4J all-reduce call failed", t);
        }
        if (status != 0) {
            failed = true;
            throw new SlowfastException(lostMessage(XGBoostJNI.XGBGetLastError()));
        }
        floats.clear();
        floats.get(buffer);
    }

    /** One line naming the lost rank: the ring neighbour(s) of this process. */
    private String lostMessage(String error) {
        String lost;
        if (launcherRankOf == null) {
            lost = "a rank";
        } else {
            int world = launcherRankOf.length;
            int prev = launcherRankOf[(rabitRank + world - 1) % world];
            int next = launcherRankOf[(rabitRank + 1) % world];
            lost = prev == next ? "rank " + prev
                    : "rank " + Math.min(prev, next) + " or rank " + Math.max(prev, next) + " (ring neighbours)";
        }
        String why = error != null && error.contains("timeout") ? "no answer within " + env.timeoutSeconds()
                + " s (hung or unreachable; dist_params.timeout)" : "it exited or its connection broke";
        return env.describe() + ": lost " + lost + " during an all-reduce: " + why;
    }

    @Override
    public synchronized void close() {
        if (failed) {
            return; // peers are gone: the process exits, which closes the sockets
        }
        try {
            Communicator.shutdown();
            if (tracker != null) {
                Thread wait = new Thread(() -> {
                    try {
                        tracker.waitFor(0);
                    } catch (XGBoostError e) {
                        // a worker left abnormally: nothing to wait for
                    }
                }, "rabit-tracker-wait");
                wait.setDaemon(true);
                wait.start();
                wait.join(env.timeoutSeconds() * 1000L);
                tracker.stop();
            }
        } catch (XGBoostError e) {
            throw new SlowfastException(env.describe() + ": leaving the collective failed: " + firstLine(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String firstLine(XGBoostError e) {
        String msg = String.valueOf(e.getMessage());
        return msg.lines().map(String::strip).filter(l -> l.startsWith("- ")).reduce((a, b) -> b)
                .map(l -> l.replaceFirst("^- \\[[^]]*\\]:\\s*", "")).orElse(msg.lines().findFirst().orElse(msg));
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SlowfastException("interrupted while joining the collective");
        }
    }

    /** XGBoostJNI.CommunicatorAllreduce is package-private; the class path is an unnamed module, so it opens. */
    private static MethodHandle allReduceHandle() {
        try {
            var m = XGBoostJNI.class.getDeclaredMethod("CommunicatorAllreduce", ByteBuffer.class, int.class,
                    int.class, int.class);
            m.setAccessible(true);
            return MethodHandles.lookup().unreflect(m).asType(MethodType.methodType(int.class, ByteBuffer.class,
                    int.class, int.class, int.class));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("XGBoost4J has no CommunicatorAllreduce(ByteBuffer, int, int, int)", e);
        }
    }
}
