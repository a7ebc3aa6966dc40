package org.slowfast.runtime;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slowfast.SlowfastException;

/**
 * Where this process sits in a multi-process job, read from the launcher's environment as MMAction2's
 * {@code init_dist} reads it. {@code pytorch} (torchrun, {@code torch.distributed.launch}, Kubeflow's PyTorchJob):
 * RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT, and LOCAL_RANK / LOCAL_WORLD_SIZE where set. {@code slurm}: SLURM_PROCID,
 * SLURM_NTASKS, SLURM_LOCALID, SLURM_NODELIST (the master is its first host unless MASTER_ADDR is set) and
 * SLURM_TASKS_PER_NODE; the port is {@code dist_params.port}, else MASTER_PORT, else 29500. {@code none}: one process.
 *
 * @param timeoutSeconds how long a collective waits for the other processes (start-up and every all-reduce) before
 *     it fails: {@code dist_params.timeout}, default {@link #DEFAULT_TIMEOUT_SECONDS}
 */
public record LaunchEnv(String launcher, int rank, int worldSize, int localRank, int localWorldSize,
        String masterAddr, int masterPort, int timeoutSeconds) {
    public static final int DEFAULT_SLURM_PORT = 29500;
    public static final int DEFAULT_TIMEOUT_SECONDS = 120;
    public static final List<String> LAUNCHERS = List.of("none", "pytorch", "slurm");

    /** One process: today's single-process run. */
    public static LaunchEnv single() {
        return new LaunchEnv("none", 0, 1, 0, 1, null, 0, DEFAULT_TIMEOUT_SECONDS);
    }

    /** This process's place under {@code launcher} (none, pytorch, slurm); {@code distParams} may be null. */
    public static LaunchEnv resolve(String launcher, Map<String, String> env, Map<String, Object> distParams) {
        String name = launcher == null ? "none" : launcher.toLowerCase(Locale.ROOT);
        Map<String, Object> params = distParams == null ? Map.of() : distParams;
        int timeout = params.get("timeout") == null ? DEFAULT_TIMEOUT_SECONDS
                : positive("dist_params.timeout", params.get("timeout"));
        return switch (name) {
            case "none" -> single();
            case "pytorch" -> pytorch(env, timeout);
            case "slurm" -> slurm(env, params, timeout);
            default -> throw new SlowfastException("--launcher: expected none, pytorch or slurm, got '" + launcher
                    + "'");
        };
    }

    private static LaunchEnv pytorch(Map<String, String> env, int timeout) {
        Vars v = new Vars(env, "pytorch", "torchrun, torch.distributed.launch and Kubeflow's PyTorchJob set RANK, "
                + "WORLD_SIZE, MASTER_ADDR and MASTER_PORT");
        int world = v.integer("WORLD_SIZE", 1);
        int rank = v.integer("RANK", 0);
        int localWorld = v.optional("LOCAL_WORLD_SIZE", 1, 1);
        int localRank = v.optional("LOCAL_RANK", 0, 0);
        return checked(new LaunchEnv("pytorch", rank, world, localRank, localWorld, v.string("MASTER_ADDR"),
                v.port("MASTER_PORT", null), timeout));
    }

    private static LaunchEnv slurm(Map<String, String> env, Map<String, Object> params, int timeout) {
        Vars v = new Vars(env, "slurm", "run under srun (tools/slurm_train.sh), which sets SLURM_PROCID, "
                + "SLURM_NTASKS, SLURM_LOCALID and SLURM_NODELIST");
        int world = v.integer("SLURM_NTASKS", 1);
        int rank = v.integer("SLURM_PROCID", 0);
        int localRank = v.integer("SLURM_LOCALID", 0);
        String master = env.get("MASTER_ADDR");
        if (master == null || master.isBlank()) {
            master = SlurmNodeList.expand(v.string("SLURM_NODELIST")).get(0);
        }
        int port = params.get("port") != null ? positive("dist_params.port", params.get("port"))
                : v.port("MASTER_PORT", DEFAULT_SLURM_PORT);
        return checked(new LaunchEnv("slurm", rank, world, localRank, tasksOnThisNode(env), master, port, timeout));
    }

    /** The first count of SLURM_TASKS_PER_NODE ("2(x3),1" -> 2), the tasks of the first nodes; 1 when unset. */
    private static int tasksOnThisNode(Map<String, String> env) {
        String s = env.get("SLURM_TASKS_PER_NODE");
        if (s == null || s.isBlank()) {
            return 1;
        }
        String first = s.split("[(,]")[0].trim();
        try {
            return Math.max(1, Integer.parseInt(first));
        } catch (NumberFormatException e) {
            throw new SlowfastException("--launcher slurm: SLURM_TASKS_PER_NODE='" + s + "' is not a task count");
        }
    }

    private static LaunchEnv checked(LaunchEnv e) {
        String vars = "slurm".equals(e.launcher) ? "SLURM_PROCID=" + e.rank + ", SLURM_NTASKS=" + e.worldSize
                : "RANK=" + e.rank + ", WORLD_SIZE=" + e.worldSize;
        if (e.rank >= e.worldSize) {
            throw new SlowfastException("--launcher " + e.launcher + ": " + vars
                    + ": the rank must be below the world size");
        }
        if (e.masterPort > 65535) {
            throw new SlowfastException("--launcher " + e.launcher + ": port " + e.masterPort + " is above 65535");
        }
        return e;
    }

    private static int positive(String key, Object value) {
        if (value instanceof Number n && n.doubleValue() >= 1 && n.doubleValue() == n.intValue()) {
            return n.intValue();
        }
        throw new SlowfastException(key + ": expected a positive integer, got " + value);
    }

    /** More than one process. */
    public boolean distributed() {
        return worldSize > 1 || !"none".equals(launcher);
    }

    /**
     * The CPU cores this process may use: the machine's cores shared evenly by the processes on this machine
     * (LOCAL_WORLD_SIZE, or SLURM_TASKS_PER_NODE), at least one.
     */
    public int cpuCoresPerProcess() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() / localWorldSize);
    }

    /** "rank 1/4" for messages. */
    public String describe() {
        return "rank " + rank + "/" + worldSize;
    }

    /** Reads the launcher's variables, with one-line errors naming the variable. */
    private record Vars(Map<String, String> env, String launcher, String hint) {
        String string(String name) {
            String value = env.get(name);
            if (value == null || value.isBlank()) {
                throw new SlowfastException("--launcher " + launcher + ": " + name + " is not set (" + hint + ")");
            }
            return value.trim();
        }

        int integer(String name, int min) {
            return parse(name, string(name), min);
        }

        int optional(String name, int fallback, int min) {
            String value = env.get(name);
            return value == null || value.isBlank() ? fallback : parse(name, value.trim(), min);
        }

        int port(String name, Integer fallback) {
            String value = env.get(name);
            if (fallback != null && (value == null || value.isBlank())) {
                return fallback;
            }
            return integer(name, 1);
        }

        private int parse(String name, String value, int min) {
            try {
                int n = Integer.parseInt(value);
                if (n >= min) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw new SlowfastException("--launcher " + launcher + ": " + name + "='" + value
                    + "' is not an integer >= " + min);
        }
    }
}
