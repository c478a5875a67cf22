package io.hermes.realtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.MediaServer;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.SseEvent;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestMedia;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Media downloads with the real yt-dlp and ffmpeg, of media the test makes and serves on loopback: an HLS
 * stream, a DASH manifest merged from video and audio, a page with subtitles and a poster, a feed as a
 * playlist. Progress moves, files play, cancel leaves nothing behind.
 */
class MediaDownloadsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestRedis redis = TestRedis.shared();
    private TestServer server;
    private MediaServer media;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;

    @BeforeAll
    static void needsTheTools() {
        Skip.unless(TestMedia.toolsInstalled(),
                "yt-dlp, ffmpeg and ffprobe are needed (Debian packages yt-dlp and ffmpeg; .ci/run installs them)");
    }

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        media = new MediaServer("127.0.0.1", 16 * 1024);
        server = TestServer.start(redis, Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true"));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        media.close();
    }

    @Test
    void anHlsStreamDownloadsWithProgressThatMovesAndAFileThatPlays() throws Exception {
        media.pace(2048); // about 100 KiB/s: a few seconds, so progress has steps to show
        try (SseTestClient stream = server.stream("/events/stream?channels=download")) {
            stream.awaitConnected(WAIT);
            String id = submit(Map.of("url", media.uri("/hls/clip.m3u8").toString()));
            List<JsonNode> steps = progressUntilEnd(stream, id);
            JsonNode last = steps.get(steps.size() - 1);
            assertEquals("completed", last.path("status").asText(), last.toString());
            List<Double> between = steps.stream().map(step -> step.path("progress").path("percentage").asDouble())
                    .filter(percentage -> percentage > 0 && percentage < 100).toList();
            assertTrue(between.stream().distinct().count() >= 2, "intermediate steps: " + between);
            for (int i = 1; i < between.size(); i++) {
                assertTrue(between.get(i) >= between.get(i - 1), "never backwards: " + between);
            }
            assertEquals("clip", steps.get(steps.size() / 2).path("result").path("title").asText(),
                    "titled while running");
        }
        JsonNode done = Events.json(server.get("/download/" + onlyDownload()).body());
        assertEquals("generic", done.path("result").path("extractor").asText());
        Path file = downloads.resolve(done.path("currentFilename").asText());
        assertEquals(TestMedia.SECONDS, TestMedia.probedDuration(file), 0.5, "ffprobe reads the downloaded file");
        assertEquals(Files.size(file), done.path("result").path("fileSize").asLong());
        assertTrue(Files.list(temp).noneMatch(path -> path.getFileName().toString().startsWith("media-")),
                "no work directory left");
    }

    @Test
    void dashVideoAndAudioAreMergedWhileTheDownloadIsProcessing() throws Exception {
        try (SseTestClient stream = server.stream("/events/stream?channels=download")) {
            stream.awaitConnected(WAIT);
            String id = submit(Map.of("url", media.uri("/dash/clip.mpd").toString(), "format", "bv+ba"));
            List<JsonNode> steps = progressUntilEnd(stream, id);
            assertEquals("completed", steps.get(steps.size() - 1).path("status").asText());
            assertTrue(steps.stream().anyMatch(step -> step.path("status").asText().equals("processing")),
                    "processing while ffmpeg merges");
            List<Double> percentages = steps.stream().map(step -> step.path("progress").path("percentage").asDouble())
                    .toList();
            for (int i = 1; i < percentages.size(); i++) {
                assertTrue(percentages.get(i) >= percentages.get(i - 1), "never backwards across parts: " + percentages);
            }
        }
        Path file = downloads.resolve(Events.json(server.get("/download/" + onlyDownload()).body())
                .path("currentFilename").asText());
        assertEquals(List.of("video", "audio"), TestMedia.probedStreams(file));
    }

    @Test
    void aFormatSelectsWhatIsDownloaded() throws Exception {
        String id = submit(Map.of("url", media.uri("/dash/clip.mpd").toString(), "format", "ba"));
        JsonNode done = awaitEnd(id);
        assertEquals("completed", done.path("status").asText(), done.toString());
        assertEquals(List.of("audio"), TestMedia.probedStreams(downloads.resolve(done.path("currentFilename").asText())));
    }

    @Test
    void aPageGivesItsVideoWithSubtitlesAndPoster() throws Exception {
        String id = submit(Map.of("url", media.uri("/page.html").toString(), "downloadSubtitles", true,
                "subtitleLanguages", List.of("en"), "downloadThumbnail", true));
        JsonNode done = awaitEnd(id);
        assertEquals("completed", done.path("status").asText(), done.toString());
        assertTrue(done.path("result").path("title").asText().startsWith("Test Pattern"), done.toString());
        List<String> files = new ArrayList<>();
        MAPPER.readTree(storedFiles(id)).forEach(f -> files.add(f.asText()));
        assertEquals(3, files.size(), files.toString());
        assertTrue(files.get(0).endsWith(".mp4"), "the video first: " + files);
        assertTrue(files.stream().anyMatch(name -> name.endsWith(".vtt")), files.toString());
        assertTrue(files.stream().anyMatch(name -> name.endsWith(".jpg")), files.toString());
        for (String name : files) {
            assertTrue(Files.size(downloads.resolve(name)) > 0, name);
        }
    }

    @Test
    void aPlaylistSubmittedAloneFailsSayingToSubmitItsEntries() throws Exception {
        JsonNode done = awaitEnd(submit(Map.of("url", media.uri("/feed.xml").toString())));
        assertEquals("failed", done.path("status").asText());
        assertTrue(done.path("error").asText().contains("playlist"), done.path("error").asText());
    }

    @Test
    void cancelEndsYtDlpWithinASecondAndLeavesNoPartialFile() throws Exception {
        media.pace(256); // about 12 KiB/s: still running when cancelled
        String url = media.uri("/hls/clip.m3u8").toString();
        try (SseTestClient stream = server.stream("/events/stream?channels=download")) {
            stream.awaitConnected(WAIT);
            String id = submit(Map.of("url", url));
            stream.next(event -> event.name().equals("download_progress")
                    && Events.json(event.data()).path("progress").path("downloaded_bytes").asLong() > 0, WAIT);
            assertEquals(1, ytDlpsFetching(url), () -> "yt-dlp runs: " + ProcessHandle.allProcesses()
                    .map(process -> process.info().commandLine().orElse("?")).filter(line -> line.contains("yt-dlp"))
                    .toList());
            long cancelled = System.nanoTime();
            assertTrue(Events.json(server.post("/download/" + id + "/cancel", "{}").body()).path("cancelled").asBoolean());
            Await.until(Duration.ofSeconds(1), () -> ytDlpsFetching(url), count -> count == 0,
                    "yt-dlp and its children ended within a second of the cancel");
            System.out.printf("MediaDownloadsIT: yt-dlp gone %d ms after the cancel%n",
                    (System.nanoTime() - cancelled) / 1_000_000);
        }
        Await.until(Duration.ofSeconds(5), () -> {
            try (Stream<Path> left = Stream.concat(Files.list(temp), Files.list(downloads))) {
                return left.toList();
            }
        }, List::isEmpty, "no partial file, no work directory");
    }

    @Test
    void aYtDlpLeftRunningByAnInstanceThatDiedIsKilledWhenAnInstanceStarts() throws Exception {
        media.pace(64); // 3 KiB/s: it would run for a minute
        String url = media.uri("/clip.mp4?orphan").toString();
        // As a JVM killed outright leaves its yt-dlp: detached (setsid -f), its parent gone.
        new ProcessBuilder("setsid", "-f", "yt-dlp", "--ignore-config", "--no-cache-dir", "--no-colors",
                "--socket-timeout=20", "--quiet", "-o", temp.resolve("orphan.mp4").toString(), "--", url)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start().waitFor();
        Await.until(Duration.ofSeconds(10), () -> ytDlpsFetching(url), count -> count == 1, "the orphan runs");
        server.close();
        server = TestServer.start(redis, Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString()));
        Await.until(Duration.ofSeconds(2), () -> ytDlpsFetching(url), count -> count == 0,
                "the instance that started killed the orphan");
    }

    private String storedFiles(String id) {
        try (var jedis = redis.client()) {
            return jedis.hget("hermes:download:" + id, "files");
        }
    }

    @Test
    void whatYtDlpFetchesMeetsThePrivateAddressPolicyToo() throws Exception {
        server.close();
        server = TestServer.start(redis, Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.PRIVATE_URL_ALLOW, "127.0.0.1/32"));
        try (MediaServer elsewhere = new MediaServer("127.0.0.2", 16 * 1024)) {
            // The page is on an allowed address; the video it names is not, and only yt-dlp asks for it.
            String page = media.uri("/page?video=" + elsewhere.uri("/clip.mp4")).toString();
            JsonNode done = awaitEnd(submit(Map.of("url", page)));
            assertEquals("failed", done.path("status").asText(), done.toString());
            assertEquals("Refused: 127.0.0.2 is a private address", done.path("error").asText());
            assertEquals(0, elsewhere.requests(), "the private address was never reached");
            assertTrue(media.requests() > 0, "the allowed page was");
        }
        HttpResponse<String> option = server.post("/download", "{\"url\":\"--exec=touch /tmp/x\"}");
        assertEquals(422, option.statusCode(), "an option-looking URL is refused at submit: " + option.body());
    }

    private static long ytDlpsFetching(String url) {
        return ProcessHandle.allProcesses().filter(process -> process.info().arguments()
                .map(arguments -> List.of(arguments).contains(url)).orElse(false)).count();
    }

    private String submit(Map<String, Object> body) throws Exception {
        HttpResponse<String> answer = server.post("/download", MAPPER.writeValueAsString(body));
        assertEquals(200, answer.statusCode(), answer.body());
        return Events.json(answer.body()).path("downloadId").asText();
    }

    private String onlyDownload() throws Exception {
        JsonNode items = Events.json(server.get("/queue").body()).path("items");
        assertEquals(1, items.size());
        return items.get(0).path("downloadId").asText();
    }

    private JsonNode awaitEnd(String id) throws Exception {
        return Await.until(WAIT, () -> Events.json(server.get("/download/" + id).body()),
                answer -> List.of("completed", "failed", "cancelled").contains(answer.path("status").asText()),
                "download " + id + " to end");
    }

    private static List<JsonNode> progressUntilEnd(SseTestClient stream, String id) throws Exception {
        List<JsonNode> steps = new ArrayList<>();
        while (true) {
            SseEvent event = stream.next(e -> e.name().equals("download_progress")
                    && id.equals(Events.json(e.data()).path("download_id").asText()), WAIT);
            JsonNode data = Events.json(event.data());
            steps.add(data);
            if (List.of("completed", "failed", "cancelled").contains(data.path("status").asText())) {
                return steps;
            }
        }
    }
}
