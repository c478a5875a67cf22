package io.hermes.realtime.files;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Events;
import io.hermes.realtime.testing.FileServer;
import io.hermes.realtime.testing.Http;
import io.hermes.realtime.testing.SseTestClient;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import io.hermes.realtime.testing.WarServer;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import redis.clients.jedis.Jedis;

/**
 * The files endpoints against real downloads: the built-in worker fetches from a {@link FileServer} into a
 * temporary download directory, and two owners (alice, bob, each with a key) and the admin read, list and
 * delete what landed. Files an engine leaves beside the main one are added as it would, through the
 * record's {@code files}.
 */
class FilesIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final TestRedis redis = TestRedis.shared();
    private FileServer origin;
    private TestServer server;
    private String alice;
    private String bob;
    @TempDir
    Path downloads;
    @TempDir
    Path temp;
    @TempDir
    Path outside;

    @BeforeEach
    void start() throws Exception {
        redis.flush();
        origin = new FileServer(0);
        server = TestServer.start(Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.ALLOW_PRIVATE_URLS, "true"));
        alice = key("alice");
        bob = key("bob");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        origin.close();
    }

    @Test
    void aCallersFileComesBackByteForByteWithItsHeaders() throws Exception {
        Landed file = download(alice, 300_001);
        HttpResponse<byte[]> response = Http.sendForBytes(Http.request(fileUri(file.path()), alice).GET());
        assertEquals(200, response.statusCode());
        assertArrayEquals(Files.readAllBytes(downloads.resolve(file.path())), response.body());
        assertEquals(300_001, response.body().length);
        assertEquals("300001", header(response, "Content-Length"));
        assertEquals("bytes", header(response, "Accept-Ranges"));
        assertEquals("nosniff", header(response, "X-Content-Type-Options"));
        assertEquals("application/octet-stream", header(response, "Content-Type"));
        assertEquals("attachment; filename=\"300001\"; filename*=UTF-8''300001",
                header(response, "Content-Disposition"));

        HttpResponse<byte[]> head = Http.sendForBytes(Http.request(fileUri(file.path()), alice)
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertEquals(200, head.statusCode());
        assertEquals("300001", header(head, "Content-Length"));
        assertEquals(0, head.body().length);
    }

    @Test
    void aRangeIsAPartialAnswerAndOneBeyondTheEndIs416() throws Exception {
        Landed file = download(alice, 200_000);
        byte[] whole = Files.readAllBytes(downloads.resolve(file.path()));

        HttpResponse<byte[]> middle = Http.sendForBytes(Http.request(fileUri(file.path()), alice)
                .header("Range", "bytes=1000-70999").GET());
        assertEquals(206, middle.statusCode());
        assertEquals("bytes 1000-70999/200000", header(middle, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(whole, 1000, 71_000), middle.body());

        HttpResponse<byte[]> tail = Http.sendForBytes(Http.request(fileUri(file.path()), alice)
                .header("Range", "bytes=-10").GET());
        assertEquals(206, tail.statusCode());
        assertEquals("bytes 199990-199999/200000", header(tail, "Content-Range"));
        assertArrayEquals(Arrays.copyOfRange(whole, 199_990, 200_000), tail.body());

        HttpResponse<byte[]> several = Http.sendForBytes(Http.request(fileUri(file.path()), alice)
                .header("Range", "bytes=0-9,20-29").GET());
        assertEquals(200, several.statusCode(), "several ranges: the whole file");
        assertEquals(200_000, several.body().length);

        HttpResponse<String> beyond = Http.send(Http.request(fileUri(file.path()), alice)
                .header("Range", "bytes=200000-").GET());
        assertEquals(416, beyond.statusCode());
        assertEquals("bytes */200000", beyond.headers().firstValue("Content-Range").orElse(null));
        assertEquals("http_416", Events.json(beyond.body()).path("error").path("code").asText());
    }

    @Test
    void aClientThatStopsReadingHoldsNoThreadAndGetsTheRestWhenItReadsAgain() throws Exception {
        int size = 24 << 20; // far more than the socket buffers of both ends hold
        Landed file = download(alice, size);
        try (Socket client = stalledReader(file)) {
            // The client reads nothing now: the socket fills, and the body waits without a thread of the container.
            Await.until(WAIT, () -> threadsIn(FileBody.class, FileDownloadServlet.class).isEmpty(),
                    "no thread left writing the file");

            byte[] received = client.getInputStream().readAllBytes();
            int body = indexOf(received, "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1)) + 4;
            assertEquals(size, received.length - body, "every byte arrived");
            for (int i = 0; i < size; i += 4099) {
                assertEquals(FileServer.expected(i), received[body + i], "byte " + i);
            }
            assertEquals(FileServer.expected(size - 1), received[received.length - 1]);
        }
    }

    @Test
    void undeployingEndsAFileStillBeingSent() throws Exception {
        int size = 24 << 20;
        Landed file = download(alice, size);
        try (Socket client = stalledReader(file)) {
            server.undeploy();
            byte[] received = client.getInputStream().readAllBytes(); // ends: the connection was closed
            assertTrue(received.length < size, "the body was cut short, so the client knows: " + received.length);
        }
    }

    /** A client that asked for the file with a small receive buffer, has read the status, and reads no more. */
    private Socket stalledReader(Landed file) throws Exception {
        Socket client = new Socket();
        client.setReceiveBufferSize(8192);
        client.setSoTimeout(10_000);
        client.connect(new InetSocketAddress("127.0.0.1", server.port()));
        java.net.URI uri = fileUri(file.path());
        client.getOutputStream().write(("GET " + uri.getRawPath() + "?" + uri.getRawQuery() + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\nAuthorization: Bearer " + alice + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        byte[] start = client.getInputStream().readNBytes(12);
        assertEquals("HTTP/1.1 200", new String(start, StandardCharsets.ISO_8859_1), "the answer has begun");
        return client;
    }

    @Test
    void tomcatServesTheSameBytesWholeAndInParts() throws Exception {
        Landed file = download(alice, 500_000);
        byte[] whole = Files.readAllBytes(downloads.resolve(file.path()));
        try (WarServer tomcat = WarServer.start("tomcat", Map.of(Settings.DOWNLOAD_DIR, downloads.toString(),
                Settings.TEMP_DIR, temp.toString(), Settings.WORKER_ENABLED, "false"))) {
            java.net.URI uri = tomcat.api("/files/download?path="
                    + URLEncoder.encode(file.path(), StandardCharsets.UTF_8));
            HttpResponse<byte[]> all = Http.sendForBytes(Http.request(uri, alice).GET());
            assertEquals(200, all.statusCode());
            assertArrayEquals(whole, all.body());
            HttpResponse<byte[]> part = Http.sendForBytes(Http.request(uri, alice)
                    .header("Range", "bytes=65530-").GET());
            assertEquals(206, part.statusCode());
            assertEquals("bytes 65530-499999/500000", header(part, "Content-Range"));
            assertArrayEquals(Arrays.copyOfRange(whole, 65_530, 500_000), part.body());
            assertEquals(404, Http.send(Http.request(uri, bob).GET()).statusCode());
        }
    }

    @Test
    void anOddNameKeepsItsNameAndItsTypeComesFromItsExtension() throws Exception {
        Landed file = download(alice, 1000);
        String odd = "subs/Ünïcode \"quoted\" 'name'.srt";
        Files.createDirectories(downloads.resolve("subs"));
        Files.writeString(downloads.resolve(odd), "1\n00:00:00,000 --> 00:00:01,000\nHi\n");
        nameFiles(file.id(), file.path(), odd);

        HttpResponse<String> response = Http.send(Http.request(fileUri(odd), alice).GET());
        assertEquals(200, response.statusCode(), response.body());
        assertEquals("application/x-subrip", response.headers().firstValue("Content-Type").orElse(null));
        assertEquals("attachment; filename=\"_n_code _quoted_ 'name'.srt\"; "
                + "filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22%20%27name%27.srt",
                response.headers().firstValue("Content-Disposition").orElse(null));
        assertTrue(response.body().endsWith("Hi\n"));
        assertEquals(200, Http.send(Http.request(fileUri(file.path()), alice).GET()).statusCode(),
                "the main file, first in files, is still served");
    }

    @Test
    void anotherOwnersFileIs404LikeAMissingOneAndTheAdminGetsIt() throws Exception {
        Landed file = download(alice, 1234);
        HttpResponse<String> others = Http.send(Http.request(fileUri(file.path()), bob).GET());
        HttpResponse<String> missing = Http.send(Http.request(fileUri("no-such-file.mp4"), bob).GET());
        assertEquals(404, others.statusCode());
        assertEquals(missing.statusCode(), others.statusCode());
        assertEquals(missing.body(), others.body(), "nothing tells a file of someone else's from no file");
        JsonNode error = Events.json(others.body());
        assertEquals("File not found", error.path("detail").asText());
        assertEquals("http_404", error.path("error").path("code").asText());

        assertEquals(200, Http.send(Http.request(fileUri(file.path()), TestServer.ADMIN_KEY).GET()).statusCode());
    }

    @Test
    void pathsOutsideTheDownloadDirectoryAre404EvenThroughALink() throws Exception {
        Landed file = download(alice, 4321);
        Files.writeString(outside.resolve("secret.txt"), "secret");
        Files.createSymbolicLink(downloads.resolve("leak.txt"), outside.resolve("secret.txt"));
        nameFiles(file.id(), file.path(), "leak.txt");
        String climbing = downloads.relativize(outside.resolve("secret.txt")).toString();
        assertTrue(climbing.startsWith("../"), climbing);

        for (String path : List.of(climbing, "../" + file.path(), file.path() + "/../../" + file.path(),
                outside.resolve("secret.txt").toString(), downloads.resolve(file.path()).toString(), "leak.txt", "",
                ".", "subs/")) {
            for (String key : List.of(alice, TestServer.ADMIN_KEY)) {
                HttpResponse<String> response = Http.send(Http.request(fileUri(path), key).GET());
                assertEquals(404, response.statusCode(), path);
                assertEquals("File not found", Events.json(response.body()).path("detail").asText(), path);
            }
        }
        assertEquals(404, Http.send(Http.request(server.api("/files/download"), alice).GET()).statusCode(), "no path");
        JsonNode listed = Events.json(Http.get(server.api("/files"), alice).body());
        assertEquals(1, listed.path("totalFiles").asInt(), "the link is not listed: " + listed);
    }

    @Test
    void theListShowsTheCallersFilesNewestFirstInUpstreamsShape() throws Exception {
        Landed older = download(alice, 1500);
        Landed newer = download(alice, 2500);
        Files.writeString(downloads.resolve("thumb.webp"), "webp!");
        nameFiles(newer.id(), newer.path(), "thumb.webp");
        download(bob, 3500);

        JsonNode list = Events.json(Http.get(server.api("/files/"), alice).body());
        assertEquals(3, list.path("totalFiles").asInt(), list.toString());
        assertEquals(1500 + 2500 + 5, list.path("totalSize").asLong());
        JsonNode first = list.path("files").get(0);
        assertEquals(List.of("filename", "filepath", "size", "createdAt", "modifiedAt", "videoInfo"),
                fieldNames(first));
        assertEquals(newer.path(), first.path("filepath").asText());
        assertEquals("2500", first.path("filename").asText());
        assertEquals(2500, first.path("size").asLong());
        assertTrue(first.path("createdAt").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z"));
        assertTrue(first.path("modifiedAt").asText().endsWith("Z"));
        assertEquals(origin.uri("/fast/2500").toString(), first.path("videoInfo").path("url").asText());
        assertEquals("2500", first.path("videoInfo").path("title").asText());
        assertTrue(first.path("videoInfo").has("duration"));
        assertEquals("thumb.webp", list.path("files").get(1).path("filepath").asText());
        assertEquals(older.path(), list.path("files").get(2).path("filepath").asText());

        JsonNode page = Events.json(Http.get(server.api("/files?limit=1&offset=2"), alice).body());
        assertEquals(3, page.path("totalFiles").asInt());
        assertEquals(1, page.path("files").size());
        assertEquals(older.path(), page.path("files").get(0).path("filepath").asText());
        JsonNode webp = Events.json(Http.get(server.api("/files?extension=.WEBP"), alice).body());
        assertEquals(1, webp.path("totalFiles").asInt());
        JsonNode big = Events.json(Http.get(server.api("/files?min_size=2000&max_size=3000"), alice).body());
        assertEquals(1, big.path("totalFiles").asInt());
        assertEquals(0, Events.json(Http.get(server.api("/files?directory=../"), alice).body())
                .path("totalFiles").asInt());
        assertEquals(422, Http.get(server.api("/files?min_size=10&max_size=5"), alice).statusCode());
        assertEquals(422, Http.get(server.api("/files?limit=101"), alice).statusCode());

        assertEquals(1, Events.json(Http.get(server.api("/files"), bob).body()).path("totalFiles").asInt());
        assertEquals(4, Events.json(server.get("/files").body()).path("totalFiles").asInt(), "the admin sees all");
    }

    @Test
    void deletingWithoutConfirmIs400AndDeletesNothing() throws Exception {
        Landed file = download(alice, 1111);
        for (String body : List.of("{\"files\": [\"" + file.path() + "\"]}",
                "{\"files\": [\"" + file.path() + "\"], \"confirm\": false}")) {
            HttpResponse<String> refused = delete(alice, body);
            assertEquals(400, refused.statusCode(), body);
            assertTrue(Events.json(refused.body()).path("detail").asText().contains("confirm"), refused.body());
        }
        assertEquals(422, delete(alice, "{\"files\": [], \"confirm\": true}").statusCode());
        assertEquals(422, delete(alice, "{\"confirm\": true}").statusCode());
        String reader = key("alice", "read");
        String sweep = "{\"files\": [\"" + file.path() + "\"], \"confirm\": true}";
        assertEquals(403, delete(reader, sweep).statusCode(), "read alone may not delete");
        assertEquals(200, Http.send(Http.request(fileUri(file.path()), reader).GET()).statusCode(), "but may read");
        assertTrue(Files.exists(downloads.resolve(file.path())));
        assertEquals(1, Events.json(Http.get(server.api("/files"), alice).body()).path("totalFiles").asInt());
    }

    @Test
    void aConfirmedDeletionRemovesTheCallersFilesOnlyAndEveryViewFollows() throws Exception {
        Landed mine = download(alice, 5000);
        Files.writeString(downloads.resolve("mine.vtt"), "WEBVTT\n");
        nameFiles(mine.id(), mine.path(), "mine.vtt");
        Landed theirs = download(bob, 7000);
        assertEquals(5000 + 7000 + 7, storageDownloadsSize());

        try (SseTestClient stream = server.stream("/events/stream?channels=storage")) {
            stream.awaitConnected(WAIT);
            HttpResponse<String> response = delete(alice, MAPPER.writeValueAsString(Map.of("confirm", true,
                    "files", List.of("mine.vtt", theirs.path(), "../" + theirs.path(), "missing.bin"))));
            assertEquals(200, response.statusCode(), response.body());
            JsonNode answer = Events.json(response.body());
            assertEquals(1, answer.path("deletedFiles").asInt());
            assertEquals(7, answer.path("totalFreedSpace").asLong());
            assertEquals(List.of(theirs.path() + " (file not found)", "../" + theirs.path() + " (file not found)",
                    "missing.bin (file not found)"), texts(answer.path("failedDeletions")));
            assertTrue(Events.json(stream.next(event -> event.name().equals("storage_update"), WAIT).data())
                    .has("used_space"));
        }
        assertFalse(Files.exists(downloads.resolve("mine.vtt")));
        assertTrue(Files.exists(downloads.resolve(theirs.path())), "another owner's file is never touched");
        assertEquals(5000 + 7000, storageDownloadsSize());
        try (Jedis jedis = redis.client()) {
            assertEquals("[\"" + mine.path() + "\"]", jedis.hget("hermes:download:" + mine.id(), "files"));
            assertEquals(mine.path(), jedis.hget("hermes:download:" + mine.id(), "file_path"));
        }

        // Deleting a download's main file removes the download too (as upstream: the app's card waits for it
        // to leave the queue), with the files beside it.
        Files.writeString(downloads.resolve("mine.jpg"), "JPEG");
        nameFiles(mine.id(), mine.path(), "mine.jpg");
        try (SseTestClient queue = server.stream("/events/stream?channels=queue")) {
            queue.awaitConnected(WAIT);
            JsonNode main = Events.json(delete(alice, "{\"files\": [\"" + mine.path() + "\"], \"confirm\": true}")
                    .body());
            assertEquals(1, main.path("deletedFiles").asInt());
            assertEquals(5000 + 4, main.path("totalFreedSpace").asLong(), "the thumbnail beside it went too");
            JsonNode removed = Events.json(queue.next(event -> event.name().equals("queue_update"), WAIT).data());
            assertEquals("removed", removed.path("action").asText());
            assertEquals(mine.id(), removed.path("download_id").asText());
        }
        assertFalse(Files.exists(downloads.resolve("mine.jpg")));
        assertEquals(0, Events.json(Http.get(server.api("/files"), alice).body()).path("totalFiles").asInt());
        assertEquals(404, Http.send(Http.request(fileUri(mine.path()), alice).GET()).statusCode());
        try (Jedis jedis = redis.client()) {
            assertFalse(jedis.exists("hermes:download:" + mine.id()), "the download is gone");
        }
        assertEquals(404, Http.get(server.api("/download/" + mine.id()), alice).statusCode());

        Landed kept = download(alice, 3000);
        String deleter = key("alice", "read", "delete");
        Files.writeString(downloads.resolve("late.vtt"), "WEBVTT\n");
        nameFiles(kept.id(), kept.path(), "late.vtt");
        assertEquals(1, Events.json(delete(deleter, "{\"files\": [\"late.vtt\"], \"confirm\": true}").body())
                .path("deletedFiles").asInt(), "the delete permission of the app's key form is enough");
        try (Jedis jedis = redis.client()) {
            assertEquals("[\"" + kept.path() + "\"]", jedis.hget("hermes:download:" + kept.id(), "files"),
                    "a subtitle alone goes from the record; the download stays");
        }
        assertEquals("completed", server.downloads(alice).status(kept.id()).path("status").asText());

        JsonNode again = Events.json(delete(TestServer.ADMIN_KEY,
                "{\"files\": [\"" + theirs.path() + "\"], \"confirm\": true}").body());
        assertEquals(1, again.path("deletedFiles").asInt(), "the admin may delete anyone's");
        assertFalse(Files.exists(downloads.resolve(theirs.path())));
    }

    /** A completed download: its id and its file's path relative to the download directory. */
    private record Landed(String id, String path) {
    }

    /** Has {@code key}'s owner download {@code size} bytes and waits until the file landed. */
    private Landed download(String key, int size) throws Exception {
        String id = server.downloads(key).submit(origin.uri("/fast/" + size).toString());
        server.downloads(key).awaitStatus(id, "completed", WAIT);
        try (Jedis jedis = redis.client()) {
            return new Landed(id, jedis.hget("hermes:download:" + id, "file_path"));
        }
    }

    /** Names the download's files as an engine that leaves several does: {@code files}, the main file first. */
    private void nameFiles(String id, String... paths) throws Exception {
        try (Jedis jedis = redis.client()) {
            jedis.hset("hermes:download:" + id, "files", MAPPER.writeValueAsString(List.of(paths)));
        }
    }

    private String key(String owner, String... permissions) throws Exception {
        List<String> granted = permissions.length == 0 ? List.of("read", "write") : List.of(permissions);
        HttpResponse<String> created = server.post("/auth/api-keys",
                MAPPER.writeValueAsString(Map.of("name", owner, "permissions", granted, "owner", owner)));
        assertEquals(201, created.statusCode(), created.body());
        return Events.json(created.body()).path("key").asText();
    }

    private java.net.URI fileUri(String path) {
        String encoded = URLEncoder.encode(path, StandardCharsets.UTF_8).replace("+", "%20");
        return server.api("/files/download?path=" + encoded);
    }

    private HttpResponse<String> delete(String key, String json) throws Exception {
        return Http.send(Http.request(server.api("/files"), key).header("Content-Type", "application/json")
                .method("DELETE", HttpRequest.BodyPublishers.ofString(json)));
    }

    private long storageDownloadsSize() throws Exception {
        return Events.json(server.get("/storage").body()).path("downloadsSize").asLong();
    }

    /** The threads whose stacks are inside any of {@code classes} now. */
    private static List<String> threadsIn(Class<?>... classes) {
        List<String> names = Arrays.stream(classes).map(Class::getName).toList();
        List<String> inside = new java.util.ArrayList<>();
        Thread.getAllStackTraces().forEach((thread, stack) -> {
            if (Arrays.stream(stack).anyMatch(frame -> names.contains(frame.getClassName()))) {
                inside.add(thread.getName());
            }
        });
        return inside;
    }

    private static int indexOf(byte[] bytes, byte[] wanted) {
        for (int i = 0; i + wanted.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + wanted.length, wanted, 0, wanted.length)) {
                return i;
            }
        }
        throw new AssertionError("not found");
    }

    private static String header(HttpResponse<?> response, String name) {
        return response.headers().firstValue(name).orElse(null);
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(JsonNode array) {
        List<String> texts = new java.util.ArrayList<>();
        array.forEach(item -> texts.add(item.asText()));
        return texts;
    }
}
