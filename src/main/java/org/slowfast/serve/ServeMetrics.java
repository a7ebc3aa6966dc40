package org.slowfast.serve;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The Prometheus metrics of {@code slowfast serve}, with TorchServe's names where it has one: requests by status
 * class ({@code ts_inference_requests_total}), time from a request's arrival to its answer
 * ({@code ts_inference_latency_microseconds}) and time it waited for a decoding worker and for the model
 * ({@code ts_queue_latency_microseconds}); our own: decoding + pipeline time, forward time and batch size.
 */
public final class ServeMetrics {
    /** Microsecond buckets from 1 ms to 60 s. */
    private static final double[] MICROS = {1e3, 2.5e3, 5e3, 1e4, 2.5e4, 5e4, 1e5, 2.5e5, 5e5, 1e6, 2.5e6, 5e6, 1e7,
        3e7, 6e7};

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final String model;
    private final Counter requests;
    private final Histogram inferenceLatency;
    private final Histogram queueLatency;
    private final Histogram decodeLatency;
    private final Histogram forwardLatency;
    private final Histogram batchSize;

    public ServeMetrics(String model, int maxBatch) {
        this.model = model;
        requests = Counter.builder().name("ts_inference_requests_total")
                .help("Prediction requests answered, by HTTP status class").labelNames("model_name", "status")
                .register(registry);
        inferenceLatency = micros("ts_inference_latency_microseconds",
                "Time from a prediction request's arrival to its answer");
        queueLatency = micros("ts_queue_latency_microseconds",
                "Time a prediction request waited for a decoding worker and for the model");
        decodeLatency = micros("slowfast_preprocess_latency_microseconds",
                "Time of decoding a request's video and running the test pipeline");
        forwardLatency = micros("slowfast_forward_latency_microseconds", "Time of one batched forward of the model");
        double[] sizes = new double[maxBatch];
        for (int i = 0; i < maxBatch; i++) {
            sizes[i] = i + 1;
        }
        batchSize = Histogram.builder().name("slowfast_batch_size").help("Requests per forward of the model")
                .labelNames("model_name").classicOnly().classicUpperBounds(sizes).register(registry);
    }

    private Histogram micros(String name, String help) {
        return Histogram.builder().name(name).help(help).unit(null).labelNames("model_name").classicOnly()
                .classicUpperBounds(MICROS).register(registry);
    }

    /** Counts one answered prediction request by its status class ({@code 2xx}, {@code 4xx}, {@code 5xx}). */
    void request(int status) {
        requests.labelValues(model, status / 100 + "xx").inc();
    }

    void inference(long nanos) {
        inferenceLatency.labelValues(model).observe(nanos / 1e3);
    }

    void queue(long nanos) {
        queueLatency.labelValues(model).observe(nanos / 1e3);
    }

    void preprocess(long nanos) {
        decodeLatency.labelValues(model).observe(nanos / 1e3);
    }

    void forward(long nanos, int size) {
        forwardLatency.labelValues(model).observe(nanos / 1e3);
        batchSize.labelValues(model).observe(size);
    }

    /** Every metric in Prometheus' text format 0.0.4. */
    public String scrape() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            PrometheusTextFormatWriter.create().write(out, registry.scrape());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }
}
