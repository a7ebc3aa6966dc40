package org.slowfast.cli;

import ai.djl.Device;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slowfast.SlowfastException;
import org.slowfast.config.LoadedConfig;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Devices;
import org.slowfast.runtime.LaunchEnv;
import picocli.CommandLine.Option;

/** {@code --launcher none|pytorch|slurm} of train and test (MMAction2's tools/train.py and tools/test.py). */
final class LauncherOptions {
    @Option(names = "--launcher", paramLabel = "none|pytorch|slurm", defaultValue = "none",
            description = "Job launcher: none (one process), pytorch (torchrun/torch.distributed.launch/PyTorchJob "
                    + "variables) or slurm (srun); see docs/distributed.md. Default: ${DEFAULT-VALUE}.")
    String launcher;

    @Option(names = {"--local_rank", "--local-rank"}, hidden = true,
            description = "Set by torch.distributed.launch; LOCAL_RANK otherwise.")
    Integer localRank;

    /** This process's place in the job, from the environment and the config's dist_params; sets its CPU share. */
    LaunchEnv resolve(LoadedConfig loaded) {
        Map<String, String> env = new HashMap<>(System.getenv());
        if (localRank != null && !env.containsKey("LOCAL_RANK")) {
            env.put("LOCAL_RANK", String.valueOf(localRank));
        }
        LaunchEnv resolved = LaunchEnv.resolve(launcher, env, loaded.config().distParams());
        CpuThreads.setProcessShare(resolved.cpuCoresPerProcess());
        return resolved;
    }

    /** The devices of this process: one (GPU LOCAL_RANK, else the CPU) in a multi-process run. */
    static List<Device> devices(LaunchEnv env, Integer gpus, List<Integer> gpuIds) {
        if (!env.distributed()) {
            return Devices.select(gpus, gpuIds);
        }
        if (gpus != null || (gpuIds != null && !gpuIds.isEmpty())) {
            throw new SlowfastException("--gpus/--gpu-ids do not apply with --launcher " + env.launcher()
                    + ": each process uses GPU LOCAL_RANK (start one process per GPU)");
        }
        return List.of(Devices.forLocalRank(env.localRank()));
    }
}
