package org.slowfast.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slowfast.api.TestVideos;

/**
 * {@code slowfast serve} as its own process: the ready line, a bounded load of good and broken requests from 8
 * clients (twice, with the server's resident memory compared after each round), and a clean exit 0 on SIGTERM with
 * requests in flight. The process is killed in any case before the test ends.
 */
class ServeProcessTest {
    private static final int CLIENTS = 8;
    private static final int REQUESTS = 50;
    @TempDir Path dir;

    @Test
    void survivesLoadWithBrokenBodiesKeepsItsMemoryAndStopsCleanlyOnSigterm() throws Exception {
        List<byte[]> good = new ArrayList<>();
        for (int k = 0; k < 3; k++) {
            good.add(Files.readAllBytes(TestVideos.mp4(dir, k)));
        }
        List<byte[]> broken = List.of(new byte[0], TestVideos.garbage(3000, 7),
                "not a video\n".repeat(40).getBytes(StandardCharsets.UTF_8), TestVideos.truncated(dir.resolve("v0.mp4")));
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-Dai.djl.offline=true", "-Dai.djl.pytorch.num_interop_threads=1",
                "-cp", System.getProperty("surefire.test.class.path", System.getProperty("java.class.path")),
                "org.slowfast.cli.Main", "serve", TestVideos.CONFIG.toString(), TestVideos.CHECKPOINT.toString(),
                "--model-name", "tiny", "--port", "0", "--metrics-port", "0", "--batch-size", "4",
                "--max-batch-delay", "5");
        Process server = new ProcessBuilder(cmd).redirectError(dir.resolve("stderr.txt").toFile()).start();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(),
                    StandardCharsets.UTF_8));
            String ready = out.readLine();
            assertNotNull(ready, () -> "no ready line; stderr: " + stderr());
            Matcher m = Pattern.compile("serving tiny on http://127\\.0\\.0\\.1:(\\d+)").matcher(ready);
            assertTrue(m.matches(), ready);
            String url = "http://127.0.0.1:" + m.group(1) + "/predictions/tiny";

            List<Map<String, Float>> expected = new ArrayList<>();
            for (byte[] video : good) {
                Http.Answer a = Http.post(url, video);
                assertEquals(200, a.status(), a.text());
                expected.add(InferenceServerTest.scores(a.json()));
            }
            round(clients, url, good, broken, expected);
            long first = rssKb(server.pid());
            round(clients, url, good, broken, expected);
            long second = rssKb(server.pid());
            assertTrue(second <= first * 1.1, "RSS " + first + " kB after the first round, " + second
                    + " kB after the second");
            assertEquals(200, Http.get(url.replace("/predictions/tiny", "/ping")).status());

            // SIGTERM while requests are in flight: each is answered (or refused once the port is closed), exit 0
            List<Future<Object>> inFlight = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                byte[] video = good.get(i % good.size());
                int k = i % good.size();
                inFlight.add(clients.submit(() -> {
                    try {
                        Http.Answer a = Http.post(url, video);
                        if (a.status() == 200) {
                            assertClose(expected.get(k), InferenceServerTest.scores(a.json()));
                        } else {
                            assertEquals(503, a.status(), a.text());
                        }
                    } catch (IOException refused) {
                        // connected after the port closed
                    }
                    return null;
                }));
            }
            Thread.sleep(30);
            server.destroy(); // SIGTERM
            assertTrue(server.waitFor(60, TimeUnit.SECONDS), "the server did not stop");
            for (Future<Object> f : inFlight) {
                f.get();
            }
            assertEquals(0, server.exitValue(), this::stderr);
            assertTrue(stderr().contains("stopping"), this::stderr);
        } finally {
            clients.shutdownNow();
            server.destroyForcibly().waitFor();
        }
    }

    /** 8 clients × 50 requests, every other one broken: good ones get their answer, broken ones a 400 JSON. */
    private static void round(ExecutorService clients, String url, List<byte[]> good, List<byte[]> broken,
            List<Map<String, Float>> expected) throws Exception {
        List<Future<Object>> done = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            done.add(clients.submit(() -> {
                for (int r = 0; r < REQUESTS; r++) {
                    int n = client * REQUESTS + r;
                    if (n % 2 == 0) {
                        Http.Answer a = Http.post(url, good.get(n / 2 % good.size()));
                        assertEquals(200, a.status(), a.text());
                        assertClose(expected.get(n / 2 % good.size()), InferenceServerTest.scores(a.json()));
                    } else {
                        Http.Answer a = Http.post(url, broken.get(n / 2 % broken.size()));
                        assertEquals(400, a.status(), a.text());
                        assertEquals(400, a.json().get("code").asInt());
                        assertEquals("BadRequestException", a.json().get("type").asText());
                    }
                }
                return null;
            }));
        }
        for (Future<Object> f : done) {
            f.get();
        }
    }

    static void assertClose(Map<String, Float> want, Map<String, Float> got) {
        assertEquals(new ArrayList<>(want.keySet()), new ArrayList<>(got.keySet()));
        Iterator<Float> g = got.values().iterator();
        for (float w : want.values()) {
            assertEquals(w, g.next(), 1e-5);
        }
    }

    private static long rssKb(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + pid);
    }

    private String stderr() {
        try {
            return Files.readString(dir.resolve("stderr.txt"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
