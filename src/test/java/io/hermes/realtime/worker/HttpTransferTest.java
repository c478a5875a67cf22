package io.hermes.realtime.worker;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.egress.AddressPolicy;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Transfers against a real HTTP server on 127.0.0.1. The policy allows private addresses here, since the
 * server is on loopback, except in the test about redirects to private addresses.
 */
class HttpTransferTest {
    private static final TransferLimits LIMITS =
            new TransferLimits(10 * 1024 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(10), Duration.ofSeconds(30), 5);
    /** For tests that must not trip a timeout while a {@link SteppingClock} races ahead. */
    private static final TransferLimits PATIENT =
            new TransferLimits(10 * 1024 * 1024, Duration.ofSeconds(2), Duration.ofHours(1), Duration.ofHours(2), 5);
    private static final AddressPolicy LOOPBACK_ALLOWED = new AddressPolicy(true);

    @TempDir
    Path root;
    private Path temp;
    private Path downloads;
    private Origin origin;
    private HttpClient client;
    private ExecutorService runner;

    @BeforeEach
    void start() throws IOException {
        temp = root.resolve("temp");
        downloads = root.resolve("downloads");
        origin = new Origin();
        client = HttpTransfer.clientBuilder(LIMITS).build();
        runner = Executors.newSingleThreadExecutor(task -> new Thread(task, "test-transfer-runner"));
    }

    @AfterEach
    void stop() throws InterruptedException {
        origin.close();
        runner.shutdownNow();
        assertTrue(runner.awaitTermination(5, TimeUnit.SECONDS), "the transfer under test did not end");
    }

    private HttpTransfer transfer(TransferLimits limits, Clock clock) {
        return new HttpTransfer(client, LOOPBACK_ALLOWED, limits, clock);
    }

    private HttpTransfer transfer() {
        return transfer(LIMITS, Clock.systemUTC());
    }

    private TransferResult download(HttpTransfer transfer, URI url, String id, TransferListener listener)
            throws Exception {
        return transfer.run(url, id, temp, downloads, listener, () -> false);
    }

    private TransferException failure(HttpTransfer transfer, URI url) {
        return assertThrows(TransferException.class,
                () -> download(transfer, url, "d1", TransferListener.NONE));
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    private static List<Path> filesIn(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.toList();
        }
    }

    private void assertNothingLeftBehind() throws IOException {
        assertEquals(List.of(), filesIn(temp), "temp dir");
        assertEquals(List.of(), filesIn(downloads), "download dir");
        assertNoHermesThreadAlive();
    }

    /** The transfer works on its caller's thread; nothing of ours may be running once it returns. */
    private static void assertNoHermesThreadAlive() {
        List<String> ours = Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive).map(Thread::getName)
                .filter(name -> name.startsWith("hermes-")).toList();
        assertEquals(List.of(), ours);
    }

    /** Sends {@code body} with a Content-Length, in 64 KiB pieces flushed one by one. */
    private static Origin.Handler servesInPieces(byte[] body) {
        return exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int offset = 0; offset < body.length; offset += 64 * 1024) {
                    out.write(body, offset, Math.min(64 * 1024, body.length - offset));
                    out.flush();
                }
            }
        };
    }

    @Test
    void aBodyArrivesByteExactWithRisingProgressEndingAtTheTotal() throws Exception {
        byte[] body = randomBytes(1024 * 1024 + 17);
        origin.on("/files/data.bin", servesInPieces(body));
        RecordingListener listener = new RecordingListener();
        // Each clock reading moves 100 ms on, so every read may report and the throttle never hides progress.
        HttpTransfer transfer = transfer(PATIENT, new SteppingClock(Duration.ofMillis(100)));

        TransferResult result = download(transfer, origin.uri("/files/data.bin"), "d1", listener);

        assertArrayEquals(body, Files.readAllBytes(result.file()));
        assertEquals(downloads.resolve("data.bin").toAbsolutePath(), result.file());
        assertEquals("data.bin", result.fileName());
        assertEquals(body.length, result.bytes());
        assertEquals(List.of("data.bin"), listener.startedNames);
        assertEquals(List.of((long) body.length), listener.startedTotals);
        List<RecordingListener.Progress> progress = listener.progress;
        assertTrue(progress.size() >= 2, () -> "expected several reports, got " + progress);
        for (int i = 1; i < progress.size(); i++) {
            assertTrue(progress.get(i).downloaded() > progress.get(i - 1).downloaded(), () -> "not rising: " + progress);
        }
        assertTrue(progress.stream().allMatch(p -> p.total() == body.length), () -> "total changed: " + progress);
        assertEquals(new RecordingListener.Progress(body.length, body.length), progress.get(progress.size() - 1));
        assertEquals(List.of(), filesIn(temp));
        assertNoHermesThreadAlive();
    }

    @Test
    void progressIsNotReportedMoreOftenThanEveryHundredMilliseconds() throws Exception {
        byte[] body = randomBytes(512 * 1024);
        origin.on("/data.bin", servesInPieces(body));
        RecordingListener listener = new RecordingListener();
        // A clock that never moves: no 100 ms ever pass, so only the final report may appear.
        Clock frozen = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);

        download(transfer(LIMITS, frozen), origin.uri("/data.bin"), "d1", listener);

        assertEquals(List.of(new RecordingListener.Progress(body.length, body.length)), listener.progress);
    }

    @Test
    void aBodyOfUnknownLengthEndsWithTheTotalItTurnedOutToBe() throws Exception {
        byte[] body = randomBytes(100_000);
        origin.on("/chunked", exchange -> {
            exchange.sendResponseHeaders(200, 0); // 0 means chunked: no Content-Length
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        RecordingListener listener = new RecordingListener();

        TransferResult result = download(transfer(), origin.uri("/chunked"), "d1", listener);

        assertArrayEquals(body, Files.readAllBytes(result.file()));
        assertEquals(List.of(-1L), listener.startedTotals);
        assertEquals(new RecordingListener.Progress(body.length, body.length),
                listener.progress.get(listener.progress.size() - 1));
        assertEquals("application/octet-stream", result.contentType());
    }

    @Test
    void contentDispositionNamesTheFile() throws Exception {
        origin.on("/get", exchange -> {
            exchange.getResponseHeaders().set("Content-Disposition",
                    "attachment; filename=\"resume.pdf\"; filename*=UTF-8''r%C3%A9sum%C3%A9.pdf");
            exchange.getResponseHeaders().set("Content-Type", "application/pdf");
            Origin.respond(exchange, 200, "%PDF".getBytes(StandardCharsets.US_ASCII));
        });
        RecordingListener listener = new RecordingListener();

        TransferResult result = download(transfer(), origin.uri("/get?id=7"), "d1", listener);

        assertEquals("résumé.pdf", result.fileName());
        assertEquals(List.of("résumé.pdf"), listener.startedNames);
        assertEquals("application/pdf", result.contentType());
        assertEquals("%PDF", Files.readString(downloads.resolve("résumé.pdf")));
    }

    @Test
    void aHostileContentDispositionCannotWriteOutsideTheDownloadDirectory() throws Exception {
        origin.on("/evil", exchange -> {
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=\"../../escaped.sh\"");
            Origin.respond(exchange, 200, "echo pwned".getBytes(StandardCharsets.US_ASCII));
        });

        TransferResult result = download(transfer(), origin.uri("/evil"), "d1", TransferListener.NONE);

        assertEquals(downloads.resolve("escaped.sh").toAbsolutePath(), result.file());
        assertFalse(Files.exists(root.resolve("escaped.sh")));
    }

    @Test
    void aSecondDownloadWithTheSameNameDoesNotOverwriteTheFirst() throws Exception {
        AtomicInteger served = new AtomicInteger();
        origin.on("/report", exchange -> {
            exchange.getResponseHeaders().set("Content-Disposition", "attachment; filename=report.pdf");
            String body = served.incrementAndGet() == 1 ? "first" : "second";
            Origin.respond(exchange, 200, body.getBytes(StandardCharsets.US_ASCII));
        });
        HttpTransfer transfer = transfer();

        TransferResult first = download(transfer, origin.uri("/report"), "d1", TransferListener.NONE);
        TransferResult second = download(transfer, origin.uri("/report"), "d2", TransferListener.NONE);

        assertEquals("report.pdf", first.fileName());
        assertEquals("report (1).pdf", second.fileName());
        assertEquals("first", Files.readString(first.file()));
        assertEquals("second", Files.readString(second.file()));
    }

    @Test
    void notFoundFailsAsAnHttpErrorNamingTheStatus() throws Exception {
        TransferException failure = failure(transfer(), origin.uri("/missing"));

        assertEquals(TransferException.HTTP_ERROR, failure.errorType());
        assertEquals("HTTP 404 Not Found from 127.0.0.1", failure.getMessage());
        assertNothingLeftBehind();
    }

    @Test
    void aClosedPortFailsAsConnectionRefused() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }

        TransferException failure = failure(transfer(), URI.create("http://127.0.0.1:" + closedPort + "/file"));

        assertEquals(TransferException.CONNECTION_REFUSED, failure.errorType());
        assertEquals("Connection refused by 127.0.0.1:" + closedPort, failure.getMessage());
        assertNothingLeftBehind();
    }

    @Test
    void aBodyAnnouncedLargerThanTheLimitIsRefusedBeforeReading() throws Exception {
        origin.on("/big", exchange -> Origin.respond(exchange, 200, new byte[20 * 1024]));
        TransferLimits tenKiB = new TransferLimits(10 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 5);
        RecordingListener listener = new RecordingListener();

        TransferException failure = assertThrows(TransferException.class,
                () -> download(transfer(tenKiB, Clock.systemUTC()), origin.uri("/big"), "d1", listener));

        assertEquals(TransferException.TOO_LARGE, failure.errorType());
        assertEquals("File exceeds the 10.0 KiB limit", failure.getMessage());
        assertEquals(List.of(), listener.startedNames, "refused before the transfer started");
        assertNothingLeftBehind();
    }

    @Test
    void aChunkedBodyThatGrowsPastTheLimitIsCutOffWhileStreaming() throws Exception {
        origin.on("/endless", exchange -> {
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                for (int i = 0; i < 64; i++) {
                    out.write(new byte[4096]);
                    out.flush();
                }
            }
        });
        TransferLimits tenKiB = new TransferLimits(10 * 1024, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 5);
        RecordingListener listener = new RecordingListener();

        TransferException failure = assertThrows(TransferException.class,
                () -> download(transfer(tenKiB, Clock.systemUTC()), origin.uri("/endless"), "d1", listener));

        assertEquals(TransferException.TOO_LARGE, failure.errorType());
        assertEquals(List.of(-1L), listener.startedTotals, "no length was announced");
        assertNothingLeftBehind();
    }

    @Test
    void cancellingAStalledTransferStopsItWithinOneSecondAndRemovesThePartialFile() throws Exception {
        origin.on("/stalls", exchange -> {
            exchange.sendResponseHeaders(200, 1_000_000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10_000]);
            out.flush();
            origin.stall(); // mid-body, and silent from now on
        });
        RecordingListener listener = new RecordingListener(10_000);
        AtomicBoolean cancelled = new AtomicBoolean();
        HttpTransfer transfer = transfer(PATIENT, new SteppingClock(Duration.ofMillis(100)));
        Path part = temp.resolve("d1.part");

        Future<TransferResult> running = runner.submit(
                () -> transfer.run(origin.uri("/stalls"), "d1", temp, downloads, listener, cancelled::get));
        assertTrue(listener.received.await(10, TimeUnit.SECONDS), "the first bytes never arrived");
        assertEquals(10_000, Files.size(part), "the partial file holds what arrived");
        long cancelledAt = System.nanoTime();
        cancelled.set(true);
        ExecutionException ended = assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - cancelledAt);

        assertInstanceOf(TransferCancelledException.class, ended.getCause());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, () -> "cancel took " + took.toMillis() + " ms");
        assertNothingLeftBehind();
    }

    @Test
    void cancellingWhileWaitingForTheResponseStopsWithinOneSecond() throws Exception {
        CountDownLatch requested = new CountDownLatch(1);
        origin.on("/silent", exchange -> {
            requested.countDown();
            origin.stall(); // never answers
        });
        AtomicBoolean cancelled = new AtomicBoolean();
        HttpTransfer transfer = transfer();

        Future<TransferResult> running = runner.submit(() -> transfer.run(origin.uri("/silent"), "d1", temp,
                downloads, TransferListener.NONE, cancelled::get));
        assertTrue(requested.await(10, TimeUnit.SECONDS), "the request never arrived");
        long cancelledAt = System.nanoTime();
        cancelled.set(true);
        ExecutionException ended = assertThrows(ExecutionException.class, () -> running.get(5, TimeUnit.SECONDS));
        Duration took = Duration.ofNanos(System.nanoTime() - cancelledAt);

        assertInstanceOf(TransferCancelledException.class, ended.getCause());
        assertTrue(took.compareTo(Duration.ofSeconds(1)) < 0, () -> "cancel took " + took.toMillis() + " ms");
        assertNothingLeftBehind();
    }

    @Test
    void interruptingTheCallingThreadAbandonsTheTransferAndRemovesThePartialFile() throws Exception {
        origin.on("/stalls", exchange -> {
            exchange.sendResponseHeaders(200, 1_000_000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[10_000]);
            out.flush();
            origin.stall();
        });
        RecordingListener listener = new RecordingListener(10_000);
        HttpTransfer transfer = transfer(PATIENT, new SteppingClock(Duration.ofMillis(100)));
        AtomicReference<Throwable> outcome = new AtomicReference<>();
        Thread caller = new Thread(() -> {
            try {
                transfer.run(origin.uri("/stalls"), "d1", temp, downloads, listener, () -> false);
            } catch (Throwable thrown) {
                outcome.set(thrown);
            }
        }, "test-interrupted-caller");

        caller.start();
        assertTrue(listener.received.await(10, TimeUnit.SECONDS), "the first bytes never arrived");
        caller.interrupt();
        caller.join(5000);

        assertFalse(caller.isAlive(), "the transfer ignored the interrupt");
        assertInstanceOf(InterruptedException.class, outcome.get());
        assertNothingLeftBehind();
    }

    @Test
    void aTransferAlreadyCancelledSendsNoRequest() {
        origin.on("/file", exchange -> Origin.respond(exchange, 200, new byte[10]));

        assertThrows(TransferCancelledException.class, () -> transfer().run(origin.uri("/file"), "d1", temp,
                downloads, TransferListener.NONE, () -> true));

        assertEquals(0, origin.hits("/file"));
    }

    @Test
    void aServerThatStopsSendingMidBodyHitsTheIdleTimeout() throws Exception {
        origin.on("/stalls", exchange -> {
            exchange.sendResponseHeaders(200, 1_000_000);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[1000]);
            out.flush();
            origin.stall();
        });
        TransferLimits idle300ms = new TransferLimits(10 * 1024 * 1024, Duration.ofSeconds(2),
                Duration.ofMillis(300), Duration.ofSeconds(30), 5);
        long startedAt = System.nanoTime();

        TransferException failure = failure(transfer(idle300ms, Clock.systemUTC()), origin.uri("/stalls"));
        Duration took = Duration.ofNanos(System.nanoTime() - startedAt);

        assertEquals(TransferException.TIMEOUT, failure.errorType());
        assertEquals("No data received for 300 ms", failure.getMessage());
        assertTrue(took.compareTo(Duration.ofMillis(300)) >= 0, () -> "gave up after " + took.toMillis() + " ms");
        assertNothingLeftBehind();
    }

    @Test
    void aServerThatNeverAnswersHitsTheTotalTimeout() throws Exception {
        origin.on("/silent", exchange -> origin.stall());
        TransferLimits total400ms = new TransferLimits(10 * 1024 * 1024, Duration.ofSeconds(2),
                Duration.ofSeconds(10), Duration.ofMillis(400), 5);

        TransferException failure = failure(transfer(total400ms, Clock.systemUTC()), origin.uri("/silent"));

        assertEquals(TransferException.TIMEOUT, failure.errorType());
        assertEquals("Transfer took longer than 400 ms", failure.getMessage());
        assertNothingLeftBehind();
    }

    @Test
    void redirectsAreFollowedWhetherRelativeOrAbsolute() throws Exception {
        origin.on("/hop/one", exchange -> Origin.redirect(exchange, 301, "two"))
                .on("/hop/two", exchange -> Origin.redirect(exchange, 307, "/hop/three"))
                .on("/hop/three", exchange -> Origin.redirect(exchange, 308, origin.uri("/files/final.txt") + "#top"))
                .on("/files/final.txt", exchange -> Origin.respond(exchange, 200, "arrived".getBytes(StandardCharsets.UTF_8)));
        AtomicInteger lookups = new AtomicInteger();
        AddressPolicy counting = new AddressPolicy(true, host -> {
            lookups.incrementAndGet();
            return InetAddress.getAllByName(host);
        });
        HttpTransfer transfer = new HttpTransfer(client, counting, LIMITS, Clock.systemUTC());

        TransferResult result = download(transfer, origin.uri("/hop/one"), "d1", TransferListener.NONE);

        assertEquals("final.txt", result.fileName());
        assertEquals("arrived", Files.readString(result.file()));
        assertEquals(4, lookups.get(), "the policy checks every hop");
    }

    @Test
    void moreRedirectsThanTheLimitFailAsTooManyRedirects() throws Exception {
        AtomicInteger requests = new AtomicInteger();
        origin.on("/loop", exchange -> Origin.redirect(exchange, 302, "/loop?n=" + requests.incrementAndGet()));
        TransferLimits threeRedirects = new TransferLimits(1024, Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(30), 3);

        TransferException failure = failure(transfer(threeRedirects, Clock.systemUTC()), origin.uri("/loop"));

        assertEquals(TransferException.TOO_MANY_REDIRECTS, failure.errorType());
        assertEquals("Too many redirects (more than 3)", failure.getMessage());
        assertEquals(4, origin.hits("/loop"), "the first request and three redirects");
        assertNothingLeftBehind();
    }

    /**
     * The honest way to get a first hop past a policy that refuses loopback, with a server that can only be on
     * loopback: a fake resolver claims the literal 127.0.0.1 is public (the client connects to the literal and
     * ignores the resolver). The redirect names {@code localhost}, which the resolver maps to 127.0.0.1 as real
     * DNS would. If the guard did not check the hop, the client would really fetch /secret from our server.
     */
    @Test
    void aRedirectToALoopbackAddressIsRefusedBeforeItIsRequested() throws Exception {
        origin.on("/start", exchange -> Origin.redirect(exchange, 302, "http://localhost:" + origin.port() + "/secret"))
                .on("/secret", exchange -> Origin.respond(exchange, 200, "internal".getBytes(StandardCharsets.UTF_8)));
        Map<String, InetAddress> dns = Map.of(
                "127.0.0.1", InetAddress.getByAddress("127.0.0.1", new byte[] {93, (byte) 184, (byte) 216, 34}),
                "localhost", InetAddress.getByAddress("localhost", new byte[] {127, 0, 0, 1}));
        AddressPolicy publicOnly = new AddressPolicy(false, host -> {
            InetAddress address = dns.get(host);
            if (address == null) {
                throw new UnknownHostException(host);
            }
            return new InetAddress[] {address};
        });
        HttpTransfer transfer = new HttpTransfer(client, publicOnly, LIMITS, Clock.systemUTC());

        TransferException failure = failure(transfer, origin.uri("/start"));

        assertEquals(TransferException.PRIVATE_ADDRESS, failure.errorType());
        assertEquals("Refused: localhost resolves to a private address (127.0.0.1)", failure.getMessage());
        assertEquals(1, origin.hits("/start"));
        assertEquals(0, origin.hits("/secret"));
        assertNothingLeftBehind();
    }

    @Test
    void aLoopbackUrlIsRefusedWhenPrivateAddressesAreNotAllowed() throws Exception {
        origin.on("/file", exchange -> Origin.respond(exchange, 200, new byte[10]));
        HttpTransfer transfer = new HttpTransfer(client, new AddressPolicy(false), LIMITS, Clock.systemUTC());

        TransferException failure = failure(transfer, origin.uri("/file"));

        assertEquals(TransferException.PRIVATE_ADDRESS, failure.errorType());
        assertEquals("Refused: 127.0.0.1 is a private address", failure.getMessage());
        assertEquals(0, origin.hits("/file"));
    }

    @Test
    void unsupportedSchemesAreRefusedBeforeAnythingIsFetched() throws Exception {
        for (String url : List.of("ftp://example.com/file.iso", "file:///etc/passwd")) {
            TransferException failure = failure(transfer(), URI.create(url));

            assertEquals(TransferException.UNSUPPORTED_SCHEME, failure.errorType(), url);
        }
        assertNothingLeftBehind();
    }

    @Test
    void aClientThatFollowsRedirectsItselfIsRejected() {
        HttpClient following = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();

        assertThrows(IllegalArgumentException.class,
                () -> new HttpTransfer(following, LOOPBACK_ALLOWED, LIMITS, Clock.systemUTC()));
    }

    @Test
    void aDownloadIdThatIsNotAPlainNameIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> transfer().run(origin.uri("/file"), "../x", temp,
                downloads, TransferListener.NONE, () -> false));
    }
}
