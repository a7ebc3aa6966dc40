package org.slowfast.serve;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.config.SizeUnit;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.UploadedFile;
import io.javalin.util.JavalinBindException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.eclipse.jetty.server.NetworkConnector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slowfast.SlowfastException;
import org.slowfast.api.InvalidVideoException;
import org.slowfast.api.Prediction;
import org.slowfast.api.VideoClassifier;

/**
 * TorchServe's inference API for one {@link VideoClassifier}: {@code /ping}, {@code /predictions/{model}} (raw body
 * or multipart field {@code data}) and the describe calls {@code /models}, {@code /models/{model}}, with TorchServe's
 * error JSON; Prometheus {@code /metrics} on a second port. Predictions go through a {@link Batcher}.
 * {@link #close()} drains: new predictions get 503, those in flight are answered, then both ports close.
 */
public final class InferenceServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(InferenceServer.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String VERSION = "1.0";

    /** What {@code slowfast serve} sets; ports may be 0 (any free port). */
    public record Options(String modelName, String host, int port, int metricsPort, int topK, int batchSize,
            int maxBatchDelayMs, int workers, long maxRequestSize, int queueSize) {}

    private final VideoClassifier classifier;
    private final Options options;
    private final ServeMetrics metrics;
    private final Batcher batcher;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final Instant started = Instant.now();
    private volatile boolean draining;
    private Javalin api;
    private Javalin metricsApi;

    private InferenceServer(VideoClassifier classifier, Options options) {
        this.classifier = classifier;
        this.options = options;
        this.metrics = new ServeMetrics(options.modelName(), options.batchSize());
        this.batcher = new Batcher(classifier, options.batchSize(), options.maxBatchDelayMs(), options.workers(),
                options.queueSize(), metrics);
    }

    /** Starts both ports; the model is already loaded, so {@code /ping} is healthy from the first request. */
    public static InferenceServer start(VideoClassifier classifier, Options options) {
        InferenceServer server = new InferenceServer(classifier, options);
        try {
            server.api = Javalin.create(server::configureApi).start(options.host(), options.port());
            server.metricsApi = Javalin.create(config -> {
                common(config, 0);
                config.routes.get("/metrics", ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                        .result(server.metrics.scrape()));
            }).start(options.host(), options.metricsPort());
        } catch (JavalinBindException e) {
            server.close();
            throw new SlowfastException("cannot listen on " + options.host() + ": " + e.getMessage(), e);
        } catch (RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    public int port() {
        return api.port();
    }

    public int metricsPort() {
        return metricsApi.port();
    }

    /** Prediction requests queued, being decoded or in the model. */
    int queued() {
        return batcher.queued();
    }

    private static void common(JavalinConfig config, long maxRequestSize) {
        config.startup.showJavalinBanner = false;
        config.startup.showOldJavalinVersionWarning = false;
        config.http.prefer405over404 = true;
        if (maxRequestSize > 0) {
            config.http.maxRequestSize = maxRequestSize;
        }
        config.routes.exception(HttpResponseException.class, (e, ctx) -> error(ctx, e.getStatus(), e.getMessage()));
        config.routes.exception(Exception.class, (e, ctx) -> {
            LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
            error(ctx, 500, "Internal server error; see the server log");
        });
    }

    private void configureApi(JavalinConfig config) {
        common(config, options.maxRequestSize());
        config.jetty.multipartConfig.maxFileSize(options.maxRequestSize(), SizeUnit.BYTES);
        config.jetty.multipartConfig.maxTotalRequestSize(options.maxRequestSize(), SizeUnit.BYTES);
        config.jetty.modifyServletContextHandler(h -> h.setMaxFormContentSize((int) options.maxRequestSize()));
        config.routes.get("/ping", ctx -> {
            boolean healthy = !draining;
            ctx.status(healthy ? 200 : 500).contentType("application/json")
                    .result(json(Map.of("status", healthy ? "Healthy" : "Unhealthy")));
        });
        for (String path : List.of("/predictions/{model}", "/predictions/{model}/{version}")) {
            config.routes.post(path, this::predict);
            config.routes.put(path, this::predict); // curl -T uploads with PUT; TorchServe takes both
        }
        config.routes.get("/models", ctx -> ctx.contentType("application/json").result(json(Map.of("models",
                List.of(Map.of("modelName", options.modelName(), "modelUrl", classifier.checkpoint().toString()))))));
        config.routes.get("/models/{model}", this::describe);
        config.routes.get("/models/{model}/{version}", this::describe);
    }

    private void predict(Context ctx) throws IOException {
        long arrived = System.nanoTime();
        inFlight.incrementAndGet();
        int status = 500;
        try {
            checkModel(ctx);
            if (draining) {
                throw new HttpResponseException(503, "The server is shutting down");
            }
            if (batcher.queued() >= options.queueSize()) { // before reading a body that cannot be queued
                throw queueFull();
            }
            CompletableFuture<Prediction> answer = batcher.submit(body(ctx));
            if (answer == null) {
                throw queueFull();
            }
            Prediction prediction = await(answer);
            ctx.contentType("application/json").result(json(prediction.top(options.topK())));
            status = 200;
            metrics.inference(System.nanoTime() - arrived);
        } catch (HttpResponseException e) {
            status = e.getStatus();
            throw e;
        } finally {
            metrics.request(status);
            inFlight.decrementAndGet();
        }
    }

    private HttpResponseException queueFull() {
        return new HttpResponseException(503, "Model \"" + options.modelName() + "\" has a full job queue ("
                + options.queueSize() + " requests); retry later");
    }

    private static Prediction await(CompletableFuture<Prediction> answer) {
        try {
            return answer.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the model", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof InvalidVideoException bad) {
                throw new HttpResponseException(400, bad.getMessage());
            }
            throw new IllegalStateException("prediction failed", e.getCause());
        }
    }

    /**
     * The video: the form field {@code data} (a multipart file, or base64 text as TorchServe's handler accepts), else
     * the raw body, at most {@code --max-request-size} bytes (413 beyond).
     */
    private byte[] body(Context ctx) {
        if (ctx.req().getContentLengthLong() > options.maxRequestSize()) {
            throw tooLarge();
        }
        String type = String.valueOf(ctx.contentType()).toLowerCase(Locale.ROOT);
        try {
            if (type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")) {
                return formField(ctx);
            }
            return readAtMost(ctx.bodyInputStream(), options.maxRequestSize());
        } catch (IOException e) {
            throw new HttpResponseException(400, "Cannot read the request body: " + e.getMessage());
        }
    }

    private byte[] formField(Context ctx) throws IOException {
        try {
            UploadedFile file = ctx.isMultipartFormData() ? ctx.uploadedFile("data") : null;
            if (file != null) {
                try (InputStream in = file.content()) {
                    return in.readAllBytes();
                }
            }
            String text = ctx.formParam("data");
            if (text == null) {
                throw new HttpResponseException(400, "The form has no field named 'data'");
            }
            return Base64.getMimeDecoder().decode(text);
        } catch (HttpResponseException | IOException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw new HttpResponseException(400, "The form field 'data' is neither a file nor base64 text");
        } catch (Exception e) { // Jetty's form parsers: past their size limit, or malformed
            for (Throwable t = e; t != null; t = t.getCause()) {
                String message = String.valueOf(t.getMessage());
                if (message.contains("exceed") || message.contains("larger than")) {
                    throw tooLarge();
                }
            }
            throw new HttpResponseException(400, "Cannot parse the form: " + e.getMessage());
        }
    }

    private HttpResponseException tooLarge() {
        return new HttpResponseException(413, "The request body is larger than the maximum request size of "
                + options.maxRequestSize() + " bytes");
    }

    private byte[] readAtMost(InputStream in, long max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1 << 16];
        for (int n; (n = in.read(buffer)) > 0; ) {
            out.write(buffer, 0, n);
            if (out.size() > max) {
                throw tooLarge();
            }
        }
        return out.toByteArray();
    }

    private void checkModel(Context ctx) {
        String model = ctx.pathParam("model");
        if (!model.equals(options.modelName())) {
            throw new HttpResponseException(404, "Model not found: " + model);
        }
    }

    private void describe(Context ctx) {
        checkModel(ctx);
        Map<String, Object> model = new LinkedHashMap<>();
        model.put("modelName", options.modelName());
        model.put("modelVersion", VERSION);
        model.put("modelUrl", classifier.checkpoint().toString());
        model.put("config", classifier.config().file().toString());
        model.put("runtime", "java");
        model.put("minWorkers", options.workers());
        model.put("maxWorkers", options.workers());
        model.put("batchSize", options.batchSize());
        model.put("maxBatchDelay", options.maxBatchDelayMs());
        model.put("maxRequestSize", options.maxRequestSize());
        model.put("queueSize", options.queueSize());
        model.put("topK", options.topK());
        model.put("loadedAtStartup", true);
        model.put("classes", classifier.labels().size());
        model.put("workers", IntStream.rangeClosed(1, options.workers()).mapToObj(i -> Map.of(
                "id", String.valueOf(i), "startTime", started.toString(), "status", draining ? "STOPPING" : "READY",
                "pid", ProcessHandle.current().pid(), "gpu", false)).toList());
        ctx.contentType("application/json").result(json(List.of(model)));
    }

    /** TorchServe's error body {@code {"code", "type", "message"}}. */
    private static void error(Context ctx, int code, String message) {
        String type = switch (code) {
            case 400 -> "BadRequestException";
            case 404 -> message.startsWith("Model not found") ? "ModelNotFoundException" : "ResourceNotFoundException";
            case 405 -> "MethodNotAllowedException";
            case 413 -> "RequestEntityTooLargeException";
            case 503 -> "ServiceUnavailableException";
            default -> code >= 500 ? "InternalServerException" : "BadRequestException";
        };
        if (code == 404 && type.equals("ResourceNotFoundException")) {
            message = "Requested resource is not found, please refer to API document.";
        } else if (code == 405) {
            message = "Requested method is not allowed, please refer to API document.";
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("code", code);
        body.put("type", type);
        body.put("message", message);
        ctx.status(code).contentType("application/json").result(json(body));
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Drains and stops: the inference port stops accepting connections, predictions arriving on open ones get 503 and {@code /ping} turns unhealthy, the requests in
     * flight are answered (waiting at most {@code drainMs}), then both ports close and the batcher stops.
     */
    public void stop(long drainMs) {
        draining = true;
        for (var connector : api.jettyServer().server().getConnectors()) {
            if (connector instanceof NetworkConnector listening) {
                listening.close(); // no new connections; open ones finish their requests
            }
        }
        long deadline = System.currentTimeMillis() + drainMs;
        while (inFlight.get() > 0 && System.currentTimeMillis() < deadline) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        close();
    }

    /** Stops at once: both ports close, the batcher stops. */
    @Override
    public void close() {
        draining = true;
        if (api != null) {
            api.stop();
        }
        if (metricsApi != null) {
            metricsApi.stop();
        }
        batcher.close();
    }
}
