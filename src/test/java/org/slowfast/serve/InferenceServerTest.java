package org.slowfast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.api.Prediction;
import org.slowfast.api.TestVideos;
import org.slowfast.api.VideoClassifier;
import org.slowfast.cli.CliRun;

/** TorchServe's inference API contract of {@code slowfast serve}, in process on the loopback address. */
class InferenceServerTest {
    static final String NAME = "tiny";
    static final long MAX_BODY = 200_000;
    @TempDir static Path dir;
    static VideoClassifier model;
    static InferenceServer server;
    static String base;
    static List<Path> videos = new ArrayList<>();
    static Path labels;

    @BeforeAll
    static void start() throws IOException {
        labels = Files.writeString(dir.resolve("labels.txt"), "zero\none\ntwo\nthree\nfour\n");
        model = VideoClassifier.builder(TestVideos.CONFIG, TestVideos.CHECKPOINT).labelMap(labels)
                .device(Device.cpu()).load();
        server = InferenceServer.start(model, new InferenceServer.Options(NAME, "127.0.0.1", 0, 0, 5, 4, 20, 2,
                MAX_BODY, 100));
        base = "http://127.0.0.1:" + server.port();
        for (int k = 0; k < 3; k++) {
            videos.add(TestVideos.mp4(dir, k));
        }
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
        model.close();
    }

    /** The answer the server must give: the library's top-5, as {label: score} in descending order. */
    static Map<String, Float> expected(Path video) {
        return model.classify(video).top(5);
    }

    static Map<String, Float> scores(JsonNode json) {
        Map<String, Float> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = json.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().floatValue());
        }
        return out;
    }

    static void assertError(Http.Answer a, int code, String type) {
        assertEquals(code, a.status(), a.text());
        assertEquals(code, a.json().get("code").asInt(), a.text());
        assertEquals(type, a.json().get("type").asText(), a.text());
        assertTrue(a.json().get("message").asText().length() > 0);
        assertTrue(!a.text().contains("at org."), "no stack trace: " + a.text());
    }

    @Test
    void pingIsHealthy() throws Exception {
        Http.Answer a = Http.get(base + "/ping");
        assertEquals(200, a.status());
        assertEquals("Healthy", a.json().get("status").asText());
    }

    @Test
    void rawBodyMultipartAndPutGiveTheLibrarysTop5InOrder() throws Exception {
        byte[] video = Files.readAllBytes(videos.get(0));
        Map<String, Float> want = expected(videos.get(0));
        for (Http.Answer a : List.of(Http.post(base + "/predictions/" + NAME, video),
                Http.send("PUT", base + "/predictions/" + NAME, video, null),
                Http.postForm(base + "/predictions/" + NAME, "data", video),
                Http.postChunked(base + "/predictions/" + NAME, video, "video/mp4"),
                Http.send("POST", base + "/predictions/" + NAME, ("data=" + URLEncoder.encode(
                        Base64.getEncoder().encodeToString(video), StandardCharsets.US_ASCII)).getBytes(
                        StandardCharsets.US_ASCII), "application/x-www-form-urlencoded"),
                Http.post(base + "/predictions/" + NAME + "/1.0", video))) {
            assertEquals(200, a.status(), a.text());
            assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(scores(a.json()).keySet()));
            assertEquals(want, scores(a.json()));
        }
    }

    @Test
    void answerEqualsDemosTop5() throws Exception {
        CliRun demo = CliRun.of("demo", TestVideos.CONFIG.toString(), TestVideos.CHECKPOINT.toString(),
                videos.get(2).toString(), "--label-map", labels.toString());
        assertEquals(0, demo.code(), demo.err());
        List<String> lines = demo.out().lines().skip(1).toList();
        Http.Answer a = Http.post(base + "/predictions/" + NAME, Files.readAllBytes(videos.get(2)));
        List<String> served = new ArrayList<>();
        scores(a.json()).forEach((label, score) -> served.add(label + ": " + score));
        assertEquals(lines, served);
    }

    @Test
    void concurrentRequestsAreBatchedAndAnsweredAsAlone() throws Exception {
        ExecutorService clients = Executors.newFixedThreadPool(6);
        try {
            List<Future<Http.Answer>> answers = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                byte[] body = Files.readAllBytes(videos.get(i % 3));
                answers.add(clients.submit(() -> Http.post(base + "/predictions/" + NAME, body)));
            }
            for (int i = 0; i < answers.size(); i++) {
                Http.Answer a = answers.get(i).get();
                assertEquals(200, a.status(), a.text());
                Map<String, Float> want = expected(videos.get(i % 3));
                Map<String, Float> got = scores(a.json());
                assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
                want.forEach((label, score) -> assertEquals(score, got.get(label), 1e-5, label));
            }
        } finally {
            clients.shutdownNow();
        }
        String metrics = Http.get("http://127.0.0.1:" + server.metricsPort() + "/metrics").text();
        double forwards = metric(metrics, "slowfast_batch_size_count");
        double batched = metric(metrics, "slowfast_batch_size_sum");
        assertTrue(batched > forwards, "some forward took more than one request:\n" + metrics);
    }

    static double metric(String text, String name) {
        return text.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    @Test
    void errorsAreTorchServesJson() throws Exception {
        byte[] video = Files.readAllBytes(videos.get(0));
        assertError(Http.post(base + "/predictions/other", video), 404, "ModelNotFoundException");
        assertError(Http.get(base + "/nothing/here"), 404, "ResourceNotFoundException");
        assertError(Http.get(base + "/predictions/" + NAME), 405, "MethodNotAllowedException");
        assertError(Http.send("DELETE", base + "/ping", null, null), 405, "MethodNotAllowedException");
        assertError(Http.post(base + "/predictions/" + NAME, new byte[0]), 400, "BadRequestException");
        assertError(Http.post(base + "/predictions/" + NAME, TestVideos.garbage(4000, 2)), 400,
                "BadRequestException");
        assertError(Http.post(base + "/predictions/" + NAME, "hello\n".repeat(50).getBytes(StandardCharsets.UTF_8)),
                400, "BadRequestException");
        assertError(Http.post(base + "/predictions/" + NAME, TestVideos.truncated(videos.get(0))), 400,
                "BadRequestException");
        assertError(Http.postForm(base + "/predictions/" + NAME, "file", video), 400, "BadRequestException");
        byte[] large = TestVideos.garbage((int) MAX_BODY + 1, 3);
        assertError(Http.post(base + "/predictions/" + NAME, large), 413, "RequestEntityTooLargeException");
        assertError(Http.postForm(base + "/predictions/" + NAME, "data", large), 413,
                "RequestEntityTooLargeException");
        assertError(Http.postChunked(base + "/predictions/" + NAME, large, "video/mp4"), 413,
                "RequestEntityTooLargeException");
        assertError(Http.postChunked(base + "/predictions/" + NAME, Http.form("data", large),
                "multipart/form-data; boundary=" + Http.BOUNDARY), 413, "RequestEntityTooLargeException");
        assertError(Http.get(base + "/models/other"), 404, "ModelNotFoundException");
        String metrics = Http.get("http://127.0.0.1:" + server.metricsPort() + "/metrics").text();
        assertTrue(metric(metrics, "ts_inference_requests_total") >= 8, metrics);
    }

    @Test
    void modelsDescribeTheOneModel() throws Exception {
        Http.Answer list = Http.get(base + "/models");
        assertEquals(200, list.status());
        assertEquals(NAME, list.json().get("models").get(0).get("modelName").asText());
        Http.Answer describe = Http.get(base + "/models/" + NAME);
        assertEquals(200, describe.status());
        JsonNode m = describe.json().get(0);
        assertEquals(NAME, m.get("modelName").asText());
        assertEquals(TestVideos.CHECKPOINT.toString(), m.get("modelUrl").asText());
        assertEquals(TestVideos.CONFIG.toString(), m.get("config").asText());
        assertEquals(4, m.get("batchSize").asInt());
        assertEquals(2, m.get("workers").size());
        assertEquals("READY", m.get("workers").get(0).get("status").asText());
    }

    @Test
    void metricsUseTorchServesNames() throws Exception {
        Http.post(base + "/predictions/" + NAME, Files.readAllBytes(videos.get(1)));
        Http.Answer a = Http.get("http://127.0.0.1:" + server.metricsPort() + "/metrics");
        assertEquals(200, a.status());
        for (String name : List.of("ts_inference_requests_total{", "ts_inference_latency_microseconds_bucket{",
                "ts_queue_latency_microseconds_count{", "slowfast_batch_size_sum{")) {
            assertTrue(a.text().contains(name), name + " in\n" + a.text());
        }
        assertTrue(metric(a.text(), "ts_inference_requests_total{model_name=\"tiny\",status=\"2xx\"}") >= 1);
    }

    @Test
    void hostileClientsNeitherCrashNorHangTheServer() throws Exception {
        // a Content-Length far over the limit with a short body: 413 at once, without waiting for the body
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("POST /predictions/" + NAME + " HTTP/1.1\r\nHost: x\r\nContent-Type: video/mp4\r\n"
                    + "Content-Length: 999999999999\r\n\r\nshort").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String head = new String(readSome(s.getInputStream()), StandardCharsets.US_ASCII);
            assertTrue(head.startsWith("HTTP/1.1 413"), head);
        }
        // a client that disconnects mid-upload, and one that stalls mid-upload while others are served
        byte[] video = Files.readAllBytes(videos.get(0));
        try (Socket stalled = new Socket("127.0.0.1", server.port())) {
            for (int i = 0; i < 3; i++) {
                try (Socket s = new Socket("127.0.0.1", server.port())) {
                    s.getOutputStream().write(("POST /predictions/" + NAME + " HTTP/1.1\r\nHost: x\r\n"
                            + "Content-Length: " + video.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().write(video, 0, video.length / 3);
                    s.getOutputStream().flush();
                }
            }
            stalled.getOutputStream().write(("POST /predictions/" + NAME + " HTTP/1.1\r\nHost: x\r\nContent-Length: "
                    + video.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            stalled.getOutputStream().write(video, 0, 100);
            stalled.getOutputStream().flush();
            Http.Answer a = Http.post(base + "/predictions/" + NAME, video);
            assertEquals(200, a.status(), a.text());
            assertEquals(expected(videos.get(0)), scores(a.json()));
        }
        assertEquals(200, Http.get(base + "/ping").status());
    }

    private static byte[] readSome(InputStream in) throws IOException {
        byte[] buffer = new byte[4096];
        int n = in.read(buffer);
        return n <= 0 ? new byte[0] : Arrays.copyOf(buffer, n);
    }

    @Test
    void aFullQueueIs503AndStoppingFinishesTheRequestsInFlight() throws Exception {
        // one slot, and a batch that waits 2 s for a second request: the first request holds the slot meanwhile
        try (InferenceServer small = InferenceServer.start(model, new InferenceServer.Options(NAME, "127.0.0.1", 0,
                0, 5, 2, 2000, 1, MAX_BODY, 1))) {
            int port = small.port();
            String url = "http://127.0.0.1:" + port + "/predictions/" + NAME;
            byte[] video = Files.readAllBytes(videos.get(1));
            CompletableFuture<Http.Answer> first = CompletableFuture.supplyAsync(() -> {
                try {
                    return Http.post(url, video);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            for (int i = 0; i < 500 && small.queued() == 0; i++) {
                Thread.sleep(20);
            }
            assertEquals(1, small.queued());
            assertError(Http.post(url, video), 503, "ServiceUnavailableException");
            small.stop(30_000); // the first request is still waiting for its batch
            Http.Answer a = first.get();
            assertEquals(200, a.status(), a.text());
            assertEquals(expected(videos.get(1)), scores(a.json()));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close(),
                    "the port is closed after stop");
        }
    }
}
