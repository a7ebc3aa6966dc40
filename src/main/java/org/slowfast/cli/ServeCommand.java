package org.slowfast.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slowfast.SlowfastException;
import org.slowfast.api.VideoClassifier;
import org.slowfast.runtime.CpuThreads;
import org.slowfast.runtime.Devices;
import org.slowfast.serve.InferenceServer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import sun.misc.Signal;

/**
 * {@code slowfast serve}: a trained model behind TorchServe's inference API (MMAction2's
 * {@code mmaction2torchserve.py} + {@code mmaction_handler.py} without Python), with dynamic batching and Prometheus
 * metrics. Runs until SIGINT or SIGTERM, then drains (in-flight requests are answered) and exits 0.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = "Serve a checkpoint over HTTP with TorchServe's inference API (docs/serving.md).")
public final class ServeCommand implements Callable<Integer> {
    private static final long DRAIN_MS = 120_000;

    @Parameters(index = "0", paramLabel = "CONFIG", description = "Config file.")
    Path config;

    @Parameters(index = "1", paramLabel = "CHECKPOINT", description = "A .pth checkpoint (ours or MMAction2's).")
    Path checkpoint;

    @Option(names = "--model-name", paramLabel = "NAME",
            description = "The model's name in /predictions/NAME (default: the config file's stem).")
    String modelName;

    @Option(names = "--host", defaultValue = "127.0.0.1",
            description = "Address to listen on (default: ${DEFAULT-VALUE}; 0.0.0.0 for every interface).")
    String host;

    @Option(names = "--port", defaultValue = "8080", description = "Inference API port (default: ${DEFAULT-VALUE}).")
    int port;

    @Option(names = "--metrics-port", defaultValue = "8082",
            description = "Prometheus /metrics port (default: ${DEFAULT-VALUE}).")
    int metricsPort;

    @Option(names = "--label-map", paramLabel = "FILE", description = "Class names, one per line.")
    Path labelMap;

    @Option(names = "--top-k", defaultValue = "5", description = "Classes per answer (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--batch-size", defaultValue = "1",
            description = "Most requests per forward (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--max-batch-delay", defaultValue = "100", paramLabel = "MS",
            description = "Longest wait for a batch to fill, in ms (default: ${DEFAULT-VALUE}).")
    int maxBatchDelay;

    @Option(names = "--workers", paramLabel = "N",
            description = "Threads decoding videos and running the test pipeline (default: the cores in use).")
    Integer workers;

    @Option(names = "--max-request-size", defaultValue = "100MB", paramLabel = "SIZE",
            description = "Largest request body: bytes, or with KB, MB, GB (powers of 1024) "
                    + "(default: ${DEFAULT-VALUE}).")
    String maxRequestSize;

    @Option(names = "--queue-size", defaultValue = "100",
            description = "Requests queued or in progress before new ones get 503 (default: ${DEFAULT-VALUE}).")
    int queueSize;

    @Option(names = "--gpu-id", paramLabel = "I", description = "The GPU to run on (the CPU when there is none).")
    Integer gpuId;

    @Option(names = "--fuse-conv-bn", description = "Fold every BN into the conv before it (mmcv's fuse_conv_bn).")
    boolean fuseConvBn;

    @Option(names = "--cfg-options", arity = "1..*", paramLabel = "KEY=VALUE", description = "Override config keys.")
    List<String> cfgOptions = new ArrayList<>();

    @Override
    public Integer call() throws InterruptedException {
        long maxRequestBytes = checkOptions();
        CountDownLatch stop = new CountDownLatch(1);
        Signal.handle(new Signal("INT"), s -> stop.countDown());
        Signal.handle(new Signal("TERM"), s -> stop.countDown());
        try (VideoClassifier model = VideoClassifier.builder(config, checkpoint).labelMap(labelMap)
                .cfgOptions(cfgOptions).fuseConvBn(fuseConvBn)
                .device(Devices.select(null, gpuId == null ? null : List.of(gpuId)).get(0)).load()) {
            InferenceServer.Options options = options(model.config().name(), maxRequestBytes);
            InferenceServer server = InferenceServer.start(model, options);
            System.out.println("serving " + options.modelName() + " on http://" + hostForUrl(options.host()) + ":"
                    + server.port());
            System.out.flush();
            stop.await();
            System.err.println("slowfast serve: stopping (finishing the requests in flight)");
            server.stop(DRAIN_MS);
        }
        return 0;
    }

    /** Checks every option; returns {@code --max-request-size} in bytes. */
    private long checkOptions() {
        if (modelName != null && !modelName.matches("[A-Za-z0-9_.-]+")) {
            throw new SlowfastException("--model-name: '" + modelName + "' must be letters, digits, '_', '.' or '-'");
        }
        atLeast("--top-k", topK, 1);
        atLeast("--batch-size", batchSize, 1);
        atLeast("--max-batch-delay", maxBatchDelay, 0);
        atLeast("--queue-size", queueSize, 1);
        atLeast("--workers", workers(), 1);
        return parseSize(maxRequestSize);
    }

    /** The server's options; the model is named after the config file's stem unless --model-name is given. */
    private InferenceServer.Options options(String configName, long maxRequestBytes) {
        return new InferenceServer.Options(modelName != null ? modelName : configName, host, port, metricsPort, topK,
                batchSize, maxBatchDelay, workers(), maxRequestBytes, queueSize);
    }

    private int workers() {
        return workers != null ? workers : CpuThreads.cores();
    }

    private static void atLeast(String option, int value, int min) {
        if (value < min) {
            throw new SlowfastException(option + " must be at least " + min + ", got " + value);
        }
    }

    private static String hostForUrl(String host) {
        return host.contains(":") ? "[" + host + "]" : host;
    }

    /** {@code 100MB}, {@code 512KB}, {@code 6553500}: a size in bytes (K, M, G are powers of 1024). */
    static long parseSize(String text) {
        Matcher m = Pattern.compile("(\\d+)\\s*([KMG]?)B?").matcher(text.strip().toUpperCase(Locale.ROOT));
        if (!m.matches()) {
            throw new SlowfastException("--max-request-size: expected bytes or a size such as 100MB, got '" + text
                    + "'");
        }
        long unit = switch (m.group(2)) {
            case "K" -> 1L << 10;
            case "M" -> 1L << 20;
            case "G" -> 1L << 30;
            default -> 1;
        };
        // bounded before multiplying: a long digit string or a large count of GB would overflow
        String digits = m.group(1).replaceFirst("^0+(?=.)", "");
        long count = digits.length() > 10 ? Long.MAX_VALUE : Long.parseLong(digits);
        if (count < 1 || count > (Integer.MAX_VALUE - 8) / unit) {
            throw new SlowfastException("--max-request-size must be between 1 byte and 2GB, got '" + text + "'");
        }
        return count * unit;
    }
}
