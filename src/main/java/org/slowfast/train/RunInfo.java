package org.slowfast.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.slowfast.Version;

/** The environment block logged at the top of a run and stored in checkpoint meta. */
public final class RunInfo {
    private RunInfo() {}

    public static String envInfo(List<Device> devices) {
        Engine engine = Engine.getInstance();
        return String.join("\n",
                "sys.platform: " + System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                "Java: " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "CPU cores: " + Runtime.getRuntime().availableProcessors(),
                "DJL: " + Engine.getDjlVersion(),
                "PyTorch engine: " + engine.getEngineName() + " " + engine.getVersion(),
                "CPU threads: " + org.slowfast.runtime.CpuThreads.cores() + " (inference: intra-op threads; CPU training: "
                        + org.slowfast.runtime.CpuThreads.trainingReplicas() + " replicas x "
                        + org.slowfast.runtime.CpuThreads.trainingThreadsPerReplica() + " intra-op thread)",
                "GPUs available: " + engine.getGpuCount(),
                "Devices: " + devices,
                "slowfast-java: " + Version.get() + "+" + gitRevision());
    }

    private static String revision;

    /** The source tree's git revision (short hash), or "unknown". */
    public static synchronized String gitRevision() {
        if (revision == null) {
            revision = readGitRevision();
        }
        return revision;
    }

    private static String readGitRevision() {
        String home = System.getProperty("slowfast.home", ".");
        try {
            Process p = new ProcessBuilder("git", "-C", Path.of(home).toString(), "rev-parse", "--short", "HEAD")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 && !out.isEmpty() ? out : "unknown";
        } catch (IOException e) {
            return "unknown";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unknown";
        }
    }
}
