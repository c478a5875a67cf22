package io.hermes.realtime.media;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.MediaServer;
import io.hermes.realtime.testing.Scrape;
import io.hermes.realtime.testing.Skip;
import io.hermes.realtime.testing.TestMedia;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /info} and {@code /formats} with the real yt-dlp, reading media the test makes (ffmpeg) and serves on
 * loopback: a file, an HLS and a DASH manifest, a page with subtitles and a poster, a feed that is a playlist.
 * One server serves most tests (yt-dlp's answers are kept, so each test reads URLs of its own or counts
 * differences); those that need other settings start their own.
 */
class InfoIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> VIDEO_INFO_FIELDS = List.of("id", "title", "description", "duration",
            "uploader", "uploadDate", "viewCount", "webpageUrl", "extractor", "formats", "thumbnails", "subtitles",
            "playlistCount", "playlistId", "playlistTitle", "entries");

    private static final TestRedis REDIS = TestRedis.shared();
    private static TestServer server;
    private static MediaServer media;
    @TempDir
    static Path downloads;
    @TempDir
    static Path temp;

    @BeforeAll
    static void start() throws Exception {
        Skip.unless(TestMedia.toolsInstalled(),
                "yt-dlp, ffmpeg and ffprobe are needed (Debian packages yt-dlp and ffmpeg; .ci/run installs them)");
        REDIS.flush();
        media = new MediaServer("127.0.0.1", 16 * 1024);
        server = TestServer.start(REDIS, settings(Map.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (media != null) {
            media.close();
        }
    }

    private static Map<String, String> settings(Map<String, String> overrides) {
        Map<String, String> settings = new HashMap<>(Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true"));
        settings.putAll(overrides);
        return settings;
    }

    @Test
    void aFileIsOneVideoWithItsFormatAndEveryFieldPresent() throws Exception {
        String url = media.uri("/clip.mp4").toString();
        JsonNode info = info(url);
        List<String> fields = new ArrayList<>();
        info.fieldNames().forEachRemaining(fields::add);
        assertEquals(VIDEO_INFO_FIELDS, fields, "upstream's VideoInfo, null where unknown");
        assertEquals("clip", info.path("id").asText());
        assertEquals("clip", info.path("title").asText());
        assertEquals(url, info.path("webpageUrl").asText());
        assertEquals("generic", info.path("extractor").asText());
        assertEquals(1, info.path("formats").size(), info.toString());
        assertEquals("mp4", info.path("formats").get(0).path("ext").asText());
        assertTrue(info.path("playlistCount").isNull());
        assertEquals(0, info.path("entries").size());
    }

    @Test
    void anHlsManifestIsAVideo() throws Exception {
        JsonNode info = info(media.uri("/hls/clip.m3u8").toString());
        assertEquals("clip", info.path("title").asText());
        assertTrue(info.path("formats").size() >= 1, info.toString());
        assertTrue(info.path("playlistCount").isNull(), "an HLS playlist is one video, not a playlist of entries");
    }

    @Test
    void aDashManifestListsItsVideoAndAudioApart() throws Exception {
        JsonNode formats = info(media.uri("/dash/clip.mpd").toString()).path("formats");
        assertEquals(2, formats.size(), formats.toString());
        JsonNode audio = find(formats, format -> format.path("vcodec").asText().equals("none"));
        JsonNode video = find(formats, format -> format.path("acodec").asText().equals("none"));
        assertTrue(audio.path("acodec").asText().startsWith("mp4a"), audio.toString());
        assertEquals("m4a", audio.path("ext").asText());
        assertEquals("640x360", video.path("resolution").asText());
        assertTrue(video.path("vcodec").asText().startsWith("avc1"), video.toString());
        assertTrue(video.path("tbr").asDouble() > 0);
        List<String> fields = new ArrayList<>();
        video.fieldNames().forEachRemaining(fields::add);
        assertEquals(List.of("formatId", "ext", "resolution", "fps", "vcodec", "acodec", "tbr", "filesize",
                "formatNote"), fields);
    }

    @Test
    void aPageGivesItsTitleDescriptionSubtitlesAndPoster() throws Exception {
        JsonNode info = info(media.uri("/page.html").toString());
        assertTrue(info.path("title").asText().startsWith("Test Pattern"), info.toString());
        assertEquals("Four seconds of colour bars and a tone", info.path("description").asText());
        JsonNode english = info.path("subtitles").path("en");
        assertEquals(1, english.size(), info.path("subtitles").toString());
        assertEquals(media.uri("/clip.en.vtt").toString(), english.get(0).path("url").asText());
        assertEquals("vtt", english.get(0).path("ext").asText());
        assertEquals("en", english.get(0).path("lang").asText());
        assertEquals(media.uri("/poster.jpg").toString(), info.path("thumbnails").get(0).path("url").asText(),
                "the app shows thumbnails[0]");
        assertEquals(List.of("url", "width", "height", "resolution"), names(info.path("thumbnails").get(0)));
    }

    @Test
    void aFeedIsAPlaylistOfThreeEntriesWithAbsoluteUrls() throws Exception {
        JsonNode info = info(media.uri("/feed.xml").toString());
        assertEquals(3, info.path("playlistCount").asInt(), info.toString());
        assertEquals("Test Feed", info.path("playlistTitle").asText());
        assertFalse(info.path("playlistId").isNull());
        assertEquals(0, info.path("formats").size());
        HashSet<String> ids = new HashSet<>();
        for (int i = 0; i < 3; i++) {
            JsonNode entry = info.path("entries").get(i);
            assertEquals(List.of("id", "title", "url", "duration", "thumbnail", "uploader"), names(entry));
            assertEquals("Clip " + (i + 1), entry.path("title").asText());
            assertEquals(media.uri("/clip.mp4?n=" + (i + 1)).toString(), entry.path("url").asText());
            ids.add(entry.path("id").asText());
        }
        assertEquals(3, ids.size(), "the app tells entries apart by id");
    }

    @Test
    void theFeedsEntriesCanBeDownloadedAsABatch() throws Exception {
        List<String> urls = new ArrayList<>();
        info(media.uri("/feed.xml?batch").toString()).path("entries").forEach(entry -> urls.add(entry.path("url")
                .asText()));
        List<String> ids = server.downloads().submitBatch(urls.toArray(String[]::new));
        assertEquals(3, ids.size());
        for (String id : ids) {
            JsonNode done = server.downloads().awaitStatus(id, "completed", WAIT);
            assertTrue(Files.size(downloads.resolve(done.path("currentFilename").asText())) > 0, done.toString());
        }
    }

    @Test
    void includeFormatsFalseLeavesTheFormatsOut() throws Exception {
        String url = media.uri("/dash/clip.mpd?without-formats").toString();
        JsonNode info = json(200, "/info?url=" + encode(url) + "&include_formats=false");
        assertEquals(0, info.path("formats").size());
        assertEquals("clip", info.path("title").asText());
        assertEquals(2, info(url).path("formats").size(), "the same URL with formats, from memory");
        assertEquals(422, get("/info/?url=" + encode(url) + "&include_formats=maybe").statusCode());
    }

    @Test
    void formatsWithoutAUrlAreTheGeneralOptionsTheAppAsksFor() throws Exception {
        for (String path : List.of("/formats", "/formats/")) {
            JsonNode formats = json(200, path);
            assertEquals(List.of("url", "formats", "videoFormats", "audioFormats", "subtitleFormats",
                    "qualityOptions", "resolutionOptions", "formatNotes"), names(formats));
            assertTrue(formats.path("url").isNull());
            assertTrue(contains(formats.path("videoFormats"), "mp4"), formats.toString());
            assertTrue(contains(formats.path("qualityOptions"), "bestvideo+bestaudio"));
            assertTrue(formats.path("formatNotes").has("best"));
        }
    }

    @Test
    void formatsOfAUrlComeInTheSameEnvelope() throws Exception {
        String url = media.uri("/dash/clip.mpd?formats").toString();
        JsonNode formats = json(200, "/formats/?url=" + encode(url));
        assertEquals(url, formats.path("url").asText());
        assertEquals(2, formats.path("formats").size());
        assertEquals("[\"mp4\"]", formats.path("videoFormats").toString());
        assertEquals("[\"m4a\"]", formats.path("audioFormats").toString());
        assertEquals("[\"360p\"]", formats.path("resolutionOptions").toString());
        assertTrue(contains(formats.path("qualityOptions"), "bestvideo+bestaudio"), formats.toString());
        formats.path("formats").forEach(format -> assertTrue(formats.path("formatNotes").has(
                format.path("formatId").asText()), "a note for each format"));
    }

    @Test
    void aSecondCallIsAnsweredFromMemoryWithoutStartingYtDlp() throws Exception {
        String url = media.uri("/clip.mp4?cached").toString();
        double started = extractions(server);
        info(url);
        assertEquals(started + 1, extractions(server), 0.0);
        long before = System.nanoTime();
        JsonNode again = info(url);
        long millis = (System.nanoTime() - before) / 1_000_000;
        assertEquals("clip", again.path("title").asText());
        assertEquals(started + 1, extractions(server), 0.0, "no second yt-dlp");
        json(200, "/formats?url=" + encode(url));
        assertEquals(started + 1, extractions(server), 0.0, "/formats reads the same memory");
        assertTrue(millis < 500, "from memory in " + millis + " ms");
        System.out.printf("InfoIT: answered from memory in %d ms%n", millis);
    }

    @Test
    void identicalRequestsAtOnceShareOneExtraction() throws Exception {
        String url = media.uri("/page.html?shared").toString();
        Scrape before = scrape(server);
        List<CompletableFuture<HttpResponse<String>>> answers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            answers.add(Http.sendAsync(Http.request(server.api("/info/?url=" + encode(url)), TestServer.ADMIN_KEY)
                    .GET()));
        }
        for (CompletableFuture<HttpResponse<String>> answer : answers) {
            assertEquals(200, answer.get().statusCode(), answer.get().body());
        }
        Scrape after = scrape(server);
        assertEquals(1, after.value("hermes_info_extractions_total") - before.value("hermes_info_extractions_total"),
                0.0, "one yt-dlp for three requests");
        assertEquals(2, after.value("hermes_info_shared_total") - before.value("hermes_info_shared_total"), 0.0);
    }

    @Test
    void urlsThatAreNotWebUrlsAre422AndNeverReachYtDlp() throws Exception {
        double started = extractions(server);
        Path touched = temp.resolve("touched-by-yt-dlp");
        for (String url : List.of("--exec=touch " + touched, "ftp://127.0.0.1/clip.mp4", "file:///etc/passwd",
                "http://", "http://127.0.0.1/" + "a".repeat(2048), "-- http://127.0.0.1/clip.mp4")) {
            HttpResponse<String> answer = get("/info/?url=" + encode(url));
            assertEquals(422, answer.statusCode(), url + ": " + answer.body());
            assertTrue(Events.json(answer.body()).path("detail").asText().contains("'url'"), answer.body());
            assertEquals(422, get("/formats/?url=" + encode(url)).statusCode(), url);
        }
        JsonNode missing = json(422, "/info/");
        assertEquals("http_422", missing.path("error").path("code").asText());
        assertEquals(started, extractions(server), 0.0, "yt-dlp never started");
        assertFalse(Files.exists(touched));
    }

    @Test
    void aPageWithoutMediaIsAnUnsupportedUrl() throws Exception {
        JsonNode refused = json(422, "/info?url=" + encode(media.uri("/plain.html").toString()));
        assertTrue(refused.path("detail").asText().startsWith("Unsupported URL"), refused.toString());
    }

    @Test
    void aMissingPageIsABadGatewayWithYtDlpsMessage() throws Exception {
        JsonNode failed = json(502, "/info?url=" + encode(media.uri("/missing.mp4").toString()));
        String message = failed.path("detail").asText();
        assertTrue(message.contains("404"), message);
        assertFalse(message.contains("Traceback") || message.contains("please report"), message);
    }

    @Test
    void withoutAKeyTheAnswerIs401() throws Exception {
        String query = "?url=" + encode(media.uri("/clip.mp4").toString());
        assertEquals(401, Http.get(server.api("/info/" + query)).statusCode());
        assertEquals(401, Http.get(server.api("/formats/" + query)).statusCode());
        assertEquals(401, Http.get(server.api("/formats")).statusCode());
    }

    @Test
    void withoutYtDlpInfoAnswers503SayingSo() throws Exception {
        try (TestServer without = TestServer.start(REDIS, settings(Map.of(Settings.YTDLP,
                temp.resolve("no-such-yt-dlp").toString())))) {
            HttpResponse<String> answer = Http.get(without.api("/info/?url=" + encode(media.uri("/clip.mp4")
                    .toString())), TestServer.ADMIN_KEY);
            assertEquals(503, answer.statusCode(), answer.body());
            assertTrue(Events.json(answer.body()).path("detail").asText().contains("yt-dlp not found"), answer.body());
            assertEquals(200, Http.get(without.api("/formats/"), TestServer.ADMIN_KEY).statusCode(),
                    "the general formats need no yt-dlp");
        }
    }

    @Test
    void anExtractionPastTheTimeLimitIsKilledAndAnswers504() throws Exception {
        try (MediaServer slow = new MediaServer("127.0.0.1", 1);
                TestServer hurried = TestServer.start(REDIS, settings(Map.of(Settings.INFO_TIMEOUT, "2")))) {
            String url = slow.uri("/page.html").toString(); // 50 bytes a second: the page takes about 10 s
            long started = System.nanoTime();
            HttpResponse<String> answer = Http.get(hurried.api("/info?url=" + encode(url)), TestServer.ADMIN_KEY);
            long millis = (System.nanoTime() - started) / 1_000_000;
            assertEquals(504, answer.statusCode(), answer.body());
            assertTrue(Events.json(answer.body()).path("detail").asText().contains("HERMES_INFO_TIMEOUT"));
            assertTrue(millis < 5000, "answered after " + millis + " ms");
            Await.until(Duration.ofSeconds(2), () -> ytDlpsReading(url), count -> count == 0, "yt-dlp killed");
        }
    }

    @Test
    void aLiteralPrivateAddressIsRefusedBeforeYtDlpRuns() throws Exception {
        try (TestServer strict = TestServer.start(REDIS, settings(Map.of(Settings.ALLOW_PRIVATE_URLS, "false")))) {
            double started = extractions(strict);
            JsonNode refused = Events.json(Http.get(strict.api("/info/?url=" + encode(media.uri("/clip.mp4")
                    .toString())), TestServer.ADMIN_KEY).body());
            assertTrue(refused.path("detail").asText().contains("HERMES_ALLOW_PRIVATE_URLS"), refused.toString());
            assertEquals("http_422", refused.path("error").path("code").asText());
            assertEquals(started, extractions(strict), 0.0);
        }
    }

    private static JsonNode info(String url) throws Exception {
        return json(200, "/info/?url=" + encode(url));
    }

    private static JsonNode json(int status, String path) throws Exception {
        HttpResponse<String> answer = get(path);
        assertEquals(status, answer.statusCode(), path + ": " + answer.body());
        return Events.json(answer.body());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return server.get(path);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static Scrape scrape(TestServer target) throws Exception {
        HttpResponse<String> answer = target.get("/metrics");
        assertEquals(200, answer.statusCode());
        return Scrape.parse(answer.body());
    }

    private static double extractions(TestServer target) throws Exception {
        return scrape(target).value("hermes_info_extractions_total");
    }

    private static long ytDlpsReading(String url) {
        return ProcessHandle.allProcesses().filter(process -> process.info().arguments()
                .map(arguments -> List.of(arguments).contains(url)).orElse(false)).count();
    }

    private static List<String> names(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode item : array) {
            if (item.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    private static JsonNode find(JsonNode array, java.util.function.Predicate<JsonNode> wanted) {
        for (JsonNode item : array) {
            if (wanted.test(item)) {
                return item;
            }
        }
        throw new AssertionError("none matches in " + array);
    }
}
