package org.slowfast.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slowfast.SlowfastException;

/** Launcher variables of torchrun/PyTorchJob and Slurm, Slurm host lists, dist_params. */
class LaunchEnvTest {
    @Test
    void slurmVariablesAndNodeList() {
        Map<String, String> env = Map.of("SLURM_PROCID", "5", "SLURM_NTASKS", "8", "SLURM_LOCALID", "1",
                "SLURM_NODELIST", "gpu-a[07-10],gpu-b3", "SLURM_TASKS_PER_NODE", "2(x4)");
        LaunchEnv e = LaunchEnv.resolve("slurm", env, null);
        assertEquals(new LaunchEnv("slurm", 5, 8, 1, 2, "gpu-a07", 29500, 120), e);
        // MMAction2's slurm init: dist_params.port first, then MASTER_PORT, then 29500
        assertEquals(29611, LaunchEnv.resolve("slurm", with(env, "MASTER_PORT", "29611"), null).masterPort());
        assertEquals(29700, LaunchEnv.resolve("slurm", with(env, "MASTER_PORT", "29611"),
                Map.of("port", 29700, "backend", "nccl")).masterPort());
        assertEquals("head", LaunchEnv.resolve("slurm", with(env, "MASTER_ADDR", "head"), null).masterAddr());
        assertEquals(30, LaunchEnv.resolve("slurm", env, Map.of("timeout", 30)).timeoutSeconds());
    }

    @Test
    void nodeListExpansion() {
        assertEquals(List.of("node01", "node02", "node03", "node04"), SlurmNodeList.expand("node[01-04]"));
        assertEquals(List.of("a1", "a3", "a4", "a5", "b", "c09", "c10"), SlurmNodeList.expand("a[1,3-5],b,c[09-10]"));
        assertEquals(List.of("r1n1", "r1n2", "r2n1", "r2n2"), SlurmNodeList.expand("r[1-2]n[1-2]"));
        assertEquals(List.of("host"), SlurmNodeList.expand("host"));
        for (String bad : List.of("node[01-", "node[3-1]", "node[a-b]", "x,,y", "")) {
            assertThrows(SlowfastException.class, () -> SlurmNodeList.expand(bad), bad);
        }
    }

    @Test
    void pytorchVariables() {
        Map<String, String> env = Map.of("RANK", "3", "WORLD_SIZE", "4", "LOCAL_RANK", "1", "LOCAL_WORLD_SIZE", "2",
                "MASTER_ADDR", "10.0.0.1", "MASTER_PORT", "29500");
        assertEquals(new LaunchEnv("pytorch", 3, 4, 1, 2, "10.0.0.1", 29500, 120),
                LaunchEnv.resolve("pytorch", env, null));
        // Kubeflow's PyTorchJob sets no LOCAL_RANK: one process per pod
        LaunchEnv pod = LaunchEnv.resolve("pytorch", Map.of("RANK", "1", "WORLD_SIZE", "2", "MASTER_ADDR", "master",
                "MASTER_PORT", "23456"), null);
        assertEquals(0, pod.localRank());
        assertEquals(1, pod.localWorldSize());
        assertEquals(Math.max(1, Runtime.getRuntime().availableProcessors() / 2),
                LaunchEnv.resolve("pytorch", env, null).cpuCoresPerProcess());
    }

    @Test
    void oneLineErrorsNameTheVariable() {
        Map<String, String> env = Map.of("RANK", "0", "WORLD_SIZE", "2", "MASTER_ADDR", "127.0.0.1");
        assertEquals("--launcher pytorch: MASTER_PORT is not set (torchrun, torch.distributed.launch and Kubeflow's "
                + "PyTorchJob set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)",
                assertThrows(SlowfastException.class, () -> LaunchEnv.resolve("pytorch", env, null)).getMessage());
        assertEquals("--launcher pytorch: RANK=2, WORLD_SIZE=2: the rank must be below the world size",
                assertThrows(SlowfastException.class, () -> LaunchEnv.resolve("pytorch",
                        with(with(env, "MASTER_PORT", "1"), "RANK", "2"), null)).getMessage());
        assertEquals("--launcher pytorch: WORLD_SIZE='two' is not an integer >= 1",
                assertThrows(SlowfastException.class, () -> LaunchEnv.resolve("pytorch",
                        with(with(env, "MASTER_PORT", "1"), "WORLD_SIZE", "two"), null)).getMessage());
        assertThrows(SlowfastException.class, () -> LaunchEnv.resolve("slurm", Map.of("SLURM_PROCID", "0"), null));
        assertThrows(SlowfastException.class, () -> LaunchEnv.resolve("mpi", Map.of(), null));
        assertThrows(SlowfastException.class, () -> LaunchEnv.resolve("none", Map.of(), Map.of("timeout", -1)));
        assertEquals(LaunchEnv.single(), LaunchEnv.resolve("none", Map.of(), null));
    }

    private static Map<String, String> with(Map<String, String> env, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(env);
        m.put(key, value);
        return m;
    }
}
