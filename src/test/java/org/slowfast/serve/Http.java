package org.slowfast.serve;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** A small HTTP client for the serving tests: JSON answers, raw and multipart uploads. */
final class Http {
    static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();

    /** A status and its JSON body. */
    record Answer(int status, JsonNode json, String text) {}

    private Http() {}

    static Answer send(String method, String url, byte[] body, String contentType) throws IOException,
            InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        HttpResponse<String> r = CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
        JsonNode json = null;
        try {
            json = JSON.readTree(r.body());
        } catch (IOException e) {
            // not JSON (metrics text)
        }
        return new Answer(r.statusCode(), json, r.body());
    }

    /** A POST of unknown length (chunked transfer encoding). */
    static Answer postChunked(String url, byte[] body, String contentType) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(body))).build();
        HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), JSON.readTree(r.body()), r.body());
    }

    static Answer get(String url) throws IOException, InterruptedException {
        return send("GET", url, null, null);
    }

    static Answer post(String url, byte[] body) throws IOException, InterruptedException {
        return send("POST", url, body, "application/octet-stream");
    }

    static final String BOUNDARY = "----slowfast-test-boundary";

    /** A multipart/form-data POST with one file field. */
    static Answer postForm(String url, String field, byte[] file) throws IOException, InterruptedException {
        return send("POST", url, form(field, file), "multipart/form-data; boundary=" + BOUNDARY);
    }

    /** A multipart/form-data body with one file field. */
    static byte[] form(String field, byte[] file) throws IOException {
        String boundary = BOUNDARY;
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field
                + "\"; filename=\"video.mp4\"\r\nContent-Type: video/mp4\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(file);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return body.toByteArray();
    }
}
