package io.hermes.bench;

import io.hermes.realtime.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * Publishes to Nchan's publisher location by HTTP POST, one keep-alive connection, the data JSON as the
 * message body. The channel is the URL's {@code id} query parameter; warm-up posts go to another channel.
 */
final class NchanSink implements EventSink {
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private final URI publish;
    private final URI warmUp;
    private final Json json;

    NchanSink(URI publish, Json json) {
        this.publish = publish;
        this.warmUp = URI.create(publish.getScheme() + "://" + publish.getRawAuthority() + publish.getRawPath()
                + "?id=bench-warm-up");
        this.json = json;
    }

    @Override
    public void warmUp() throws IOException {
        for (int i = 0; i < 200; i++) {
            post(warmUp, "{\"warm_up\":" + i + "}");
        }
    }

    @Override
    public void publish(Map<String, Object> data) throws IOException {
        post(publish, json.write(data));
    }

    private void post(URI uri, String body) throws IOException {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        try {
            HttpResponse<Void> answer = http.send(request, HttpResponse.BodyHandlers.discarding());
            if (answer.statusCode() / 100 != 2) {
                throw new IOException("nchan answered " + answer.statusCode());
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", interrupted);
        }
    }

    @Override
    public void close() {
        // HttpClient on Java 17 has no close; its threads are daemons
    }
}
