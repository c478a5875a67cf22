package io.hermes.realtime.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code GET /storage} in the real wiring, against directories the test fills. */
class StorageIT {
    private final TestRedis redis = TestRedis.shared();

    @TempDir
    Path root;

    private Path downloads;
    private Path temp;
    private TestServer server;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        // Neither exists yet: the server creates them.
        downloads = root.resolve("media/downloads");
        temp = root.resolve("media/../scratch");
        server = TestServer.start(Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString()));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private static void file(Path path, int bytes, Duration age) throws Exception {
        Files.createDirectories(path.getParent());
        Files.write(path, new byte[bytes]);
        Files.setLastModifiedTime(path, FileTime.from(Instant.now().minus(age)));
    }

    @Test
    void theReportMatchesTheFilesOnDisk() throws Exception {
        assertTrue(Files.isDirectory(downloads), "created at start-up");
        assertTrue(Files.isDirectory(temp), "created at start-up");
        file(downloads.resolve("film.mp4"), 1000, Duration.ZERO);
        file(downloads.resolve("show/e01.mkv"), 2000, Duration.ofDays(40));
        file(downloads.resolve("show/e02.mkv.part"), 300, Duration.ofHours(2));
        file(temp.resolve("old.tmp"), 400, Duration.ofDays(2));
        file(temp.resolve("new.tmp"), 50, Duration.ofMinutes(1));
        Files.createDirectories(downloads.resolve("empty"));

        HttpResponse<String> response = server.get("/storage");
        assertEquals(200, response.statusCode(), response.body());
        JsonNode report = Events.json(response.body());
        assertEquals(downloads.toAbsolutePath().normalize().toString(), report.path("downloadDirectory").asText());
        assertEquals(root.resolve("scratch").toAbsolutePath().toString(), report.path("tempDirectory").asText());
        assertEquals(3300, report.path("downloadsSize").asLong());
        assertEquals(450, report.path("tempSize").asLong());
        assertEquals(Events.json("""
                [{"type": "temp_files", "description": "Temporary files not modified for more than 24 hours",
                  "potentialSavings": 400, "fileCount": 1},
                 {"type": "partial_downloads",
                  "description": "Unfinished downloads (.part files) not modified for more than an hour",
                  "potentialSavings": 300, "fileCount": 1},
                 {"type": "empty_directories",
                  "description": "Empty directories inside the download and temp directories",
                  "potentialSavings": 0, "fileCount": 1}]"""), report.path("cleanupRecommendations"));

        long total = report.path("totalSpace").asLong();
        long used = report.path("usedSpace").asLong();
        assertEquals(Files.getFileStore(downloads).getTotalSpace(), total);
        assertTrue(used > 0 && used <= total, report.toString());
        assertTrue(report.path("freeSpace").asLong() > 0 && report.path("freeSpace").asLong() <= total);
        assertEquals(Math.round(used * 10_000.0 / total) / 100.0, report.path("usagePercentage").asDouble());
        assertEquals(9, report.size(), "exactly the contract's fields: " + report);
    }

    @Test
    void emptyDirectoriesHaveNothingToSuggest() throws Exception {
        JsonNode report = Events.json(server.get("/storage/").body());
        assertEquals(0, report.path("downloadsSize").asLong());
        assertEquals(0, report.path("tempSize").asLong());
        assertTrue(report.path("cleanupRecommendations").isArray());
        assertEquals(0, report.path("cleanupRecommendations").size());
    }

    @Test
    void anyReaderSeesTheReportAndAnUnchangedOneIs304() throws Exception {
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"tablet\",\"permissions\":[\"read\"],\"owner\":\"alice\"}");
        String reader = Events.json(created.body()).path("key").asText();
        file(downloads.resolve("film.mp4"), 77, Duration.ZERO);
        assertEquals(77, Events.json(Http.get(server.api("/storage"), reader).body()).path("downloadsSize").asLong());

        // Free space belongs to the whole disk and may move between two requests when other processes
        // write, so ask again until two readings in a row agree (or the deadline passes).
        Instant deadline = Instant.now().plusSeconds(20);
        int status = 0;
        while (status != 304 && Instant.now().isBefore(deadline)) {
            HttpResponse<String> first = Http.get(server.api("/storage"), reader);
            String etag = first.headers().firstValue("ETag").orElseThrow();
            HttpResponse<String> again = Http.send(Http.request(server.api("/storage"), reader)
                    .header("If-None-Match", etag).GET());
            status = again.statusCode();
            assertTrue(status == 304 || status == 200, "answered " + status);
            if (status == 304) {
                assertEquals("", again.body());
            }
        }
        assertEquals(304, status, "an unchanged report is not sent again");
    }

    @Test
    void theReportNeedsTheReadPermission() throws Exception {
        assertEquals(401, Http.get(server.api("/storage")).statusCode());
        HttpResponse<String> created = server.post("/auth/api-keys",
                "{\"name\":\"writer\",\"permissions\":[\"write\"],\"owner\":\"alice\"}");
        String writer = Events.json(created.body()).path("key").asText();
        HttpResponse<String> refused = Http.get(server.api("/storage"), writer);
        assertEquals(403, refused.statusCode());
        assertEquals("Permission denied: read required", Events.json(refused.body()).path("detail").asText());
    }
}
