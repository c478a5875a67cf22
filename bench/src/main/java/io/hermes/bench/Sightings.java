package io.hermes.bench;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The download states a client has seen, each with the moment it first saw it: the input of the data-age
 * figures. A state is (download id, status, downloaded bytes); only its first sighting is kept.
 * Thread-safe.
 */
final class Sightings {
    /** One first sighting; {@code source} says how it arrived ("queue" poll, "event"). */
    record Sighting(String id, String status, long bytes, long atMicros, String source) {
        String line() {
            return atMicros + "\t" + id + "\t" + status + "\t" + bytes + "\t" + source;
        }

        static Sighting parse(String line) {
            String[] fields = line.split("\t");
            if (fields.length != 5) {
                throw new IllegalArgumentException("not a sighting line: " + line);
            }
            return new Sighting(fields[1], fields[2], Long.parseLong(fields[3]), Long.parseLong(fields[0]), fields[4]);
        }
    }

    private final Set<String> seen = new HashSet<>();
    private final List<Sighting> sightings = new ArrayList<>();

    synchronized void saw(String id, String status, long bytes, long atMicros, String source) {
        if (seen.add(id + '\t' + status + '\t' + bytes)) {
            sightings.add(new Sighting(id, status, bytes, atMicros, source));
        }
    }

    /** Every item of a GET /queue answer (REST camelCase DownloadStatus). */
    void sawQueue(JsonNode queue, long atMicros) {
        for (JsonNode item : queue.path("items")) {
            saw(item.path("downloadId").asText(), item.path("status").asText(),
                    item.path("progress").path("downloadedBytes").asLong(0), atMicros, "queue");
        }
    }

    /** A download_progress event's data (snake_case). */
    void sawEvent(JsonNode data, long atMicros) {
        saw(data.path("download_id").asText(), data.path("status").asText(),
                data.path("progress").path("downloaded_bytes").asLong(0), atMicros, "event");
    }

    synchronized List<Sighting> all() {
        return List.copyOf(sightings);
    }

    synchronized void writeTo(Path file) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (Sighting sighting : sightings) {
                out.write(sighting.line());
                out.write('\n');
            }
        }
    }

    static List<Sighting> read(Path file) throws IOException {
        List<Sighting> list = new ArrayList<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (!line.isBlank()) {
                list.add(Sighting.parse(line));
            }
        }
        return list;
    }
}
