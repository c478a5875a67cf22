package io.hermes.realtime.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Plain HTTP calls for tests, over a real socket. */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    /** GET without credentials. */
    public static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return send(request(uri, null).GET());
    }

    /** GET with {@code Authorization: Bearer key}. */
    public static HttpResponse<String> get(URI uri, String key) throws IOException, InterruptedException {
        return send(request(uri, key).GET());
    }

    public static HttpResponse<String> postJson(URI uri, String json) throws IOException, InterruptedException {
        return postJson(uri, json, null);
    }

    public static HttpResponse<String> postJson(URI uri, String json, String key) throws IOException, InterruptedException {
        return send(request(uri, key).header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public static HttpResponse<String> delete(URI uri, String key) throws IOException, InterruptedException {
        return send(request(uri, key).DELETE());
    }

    /** A request builder with a timeout and, when {@code key} is not null, a Bearer header. */
    public static HttpRequest.Builder request(URI uri, String key) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10));
        if (key != null) {
            builder.header("Authorization", "Bearer " + key);
        }
        return builder;
    }

    public static HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends and keeps the body as bytes: for answers that are not text (a file). */
    public static HttpResponse<byte[]> sendForBytes(HttpRequest.Builder request) throws IOException, InterruptedException {
        return CLIENT.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    /** Sends without waiting, so a test can have many requests under way at once. */
    public static java.util.concurrent.CompletableFuture<HttpResponse<String>> sendAsync(HttpRequest.Builder request) {
        return CLIENT.sendAsync(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
