package org.slowfast.runtime;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;

/** Device selection for {@code --gpus N | --gpu-ids ...} and peak-memory readings. */
public final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    private Devices() {}

    /** The devices to run on: the given GPUs when the engine has them, otherwise the CPU alone. */
    public static List<Device> select(Integer gpus, List<Integer> gpuIds) {
        if (gpus != null && gpuIds != null && !gpuIds.isEmpty()) {
            throw new SlowfastException("--gpus and --gpu-ids are mutually exclusive");
        }
        List<Integer> ids = gpuIds != null && !gpuIds.isEmpty() ? gpuIds : new ArrayList<>();
        if (ids.isEmpty() && gpus != null) {
            if (gpus < 1) {
                throw new SlowfastException("--gpus must be at least 1, got " + gpus);
            }
            for (int i = 0; i < gpus; i++) {
                ids.add(i);
            }
        }
        int available = Engine.getInstance().getGpuCount();
        if (available == 0) {
            if (!ids.isEmpty()) {
                LOG.warn("no GPU is available to the PyTorch engine; running on the CPU");
            }
            return List.of(Device.cpu());
        }
        if (ids.isEmpty()) {
            ids.add(0);
        }
        List<Device> devices = new ArrayList<>();
        for (int id : ids) {
            if (id < 0 || id >= available) {
                throw new SlowfastException("--gpu-ids: GPU " + id + " does not exist (" + available + " available)");
            }
            devices.add(Device.gpu(id));
        }
        return devices;
    }

    /** The device of a process of a multi-process run: GPU {@code localRank} when the engine has GPUs, else the CPU. */
    public static Device forLocalRank(int localRank) {
        int available = Engine.getInstance().getGpuCount();
        if (available == 0) {
            return Device.cpu();
        }
        if (localRank >= available) {
            throw new SlowfastException("LOCAL_RANK " + localRank + " has no GPU (" + available
                    + " available); start at most one process per GPU on each machine");
        }
        return Device.gpu(localRank);
    }

    /** Peak resident set size of this process in bytes ({@code VmHWM}), or -1 where /proc is unavailable. */
    public static long peakRssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("\\D", "")) * 1024;
                }
            }
        } catch (Exception e) {
            LOG.debug("cannot read /proc/self/status", e);
        }
        return -1;
    }

    /** Memory in use on a GPU in bytes (CUDA's device-wide figure), or -1 for the CPU. */
    public static long deviceMemoryUsed(Device device) {
        if (!device.isGpu()) {
            return -1;
        }
        MemoryUsage usage = CudaUtils.getGpuMemory(device);
        return usage.getUsed();
    }
}
