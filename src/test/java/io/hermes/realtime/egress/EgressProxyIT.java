package io.hermes.realtime.egress;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.hermes.realtime.metrics.AddressAllowList;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.Skip;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The egress proxy over real sockets on loopback. The origin on 127.0.0.1 stands for a NAS the settings allow
 * ({@code HERMES_PRIVATE_URL_ALLOW=127.0.0.1/32}); the one on 127.0.0.2 for any private address they do not.
 * Clients: raw requests written byte by byte, curl, and the real yt-dlp.
 */
class EgressProxyIT {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final byte[] FILE = new byte[300_000];
    private static final String REFUSED_127_0_0_2 = "Refused: 127.0.0.2 is a private address";

    static {
        new Random(17).nextBytes(FILE);
    }

    private final ProxyThreads threads = new ProxyThreads();
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Origin allowed;
    private Origin refused;
    private EgressProxy proxy;
    private EgressProxy.Pass pass;

    @BeforeEach
    void start() throws IOException {
        allowed = closeLater(new Origin("127.0.0.1"));
        refused = closeLater(new Origin("127.0.0.2"));
        allowed.on("/x.bin", exchange -> respond(exchange, 200, FILE));
        refused.on("/x.bin", exchange -> respond(exchange, 200, FILE));
        proxy = proxy(new EgressProxy.Limits(16, Duration.ofSeconds(2), Duration.ofSeconds(10)));
        pass = proxy.open();
    }

    @AfterEach
    void stop() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        assertEquals(List.of(), threads.alive(), "close() waited for every thread of the proxy");
    }

    private <T extends AutoCloseable> T closeLater(T resource) {
        toClose.add(resource);
        return resource;
    }

    /** A proxy allowing 127.0.0.1 as the composition root would with HERMES_PRIVATE_URL_ALLOW=127.0.0.1/32. */
    private EgressProxy proxy(EgressProxy.Limits limits) throws IOException {
        AddressAllowList listed = AddressAllowList.parse(List.of("127.0.0.1/32"));
        AddressPolicy policy = new AddressPolicy(false, address -> listed.permits(address.getHostAddress()),
                AddressPolicy.Resolver.system());
        return closeLater(EgressProxy.start(policy, limits, threads));
    }

    @Test
    void anAllowedGetReachesTheOriginInOriginFormWithItsBodyIntact() throws Exception {
        Answer answer = send(proxy, "GET " + allowed.base() + "/x.bin?v=1 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + authorization(pass) + "Proxy-Connection: keep-alive\r\nConnection: keep-alive, X-Hop\r\n"
                + "X-Hop: dropped\r\nUser-Agent: egress-test\r\n\r\n");

        assertEquals(200, answer.status(), answer.head());
        assertArrayEquals(FILE, answer.body());
        Origin.Seen seen = allowed.last("/x.bin");
        assertEquals("/x.bin?v=1", seen.target(), "origin form: the origin never sees the proxy's absolute URL");
        assertNull(seen.headers().getFirst("Proxy-Authorization"), "the credential stays with the proxy");
        assertNull(seen.headers().getFirst("Proxy-Connection"));
        assertNull(seen.headers().getFirst("X-Hop"), "what Connection names is hop-by-hop");
        assertEquals("close", seen.headers().getFirst("Connection"));
        assertEquals("127.0.0.1:" + allowed.port(), seen.headers().getFirst("Host"), "Host names the checked host");
        assertEquals("egress-test", seen.headers().getFirst("User-Agent"));
        assertEquals(Optional.empty(), pass.refusal());
    }

    @Test
    void aPostCarriesExactlyItsBodyToTheOrigin() throws Exception {
        allowed.on("/echo", exchange -> respond(exchange, 200, exchange.getRequestBody().readAllBytes()));

        String body = "0123456789".repeat(1000); // in the same write as the head, and more than a read's worth

        Answer answer = send(proxy, "POST " + allowed.base() + "/echo HTTP/1.1\r\n" + authorization(pass)
                + "Content-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n" + body);

        assertEquals(200, answer.status(), answer.head());
        assertEquals(body, answer.text());
    }

    @Test
    void connectTunnelsBytesBothWaysToAnAllowedAddress() throws Exception {
        try (Echo echo = new Echo(); Socket tunnel = tunnel(proxy, pass, "127.0.0.1:" + echo.port())) {
            assertEquals("ping\n", roundTrip(tunnel, "ping\n"));
            assertEquals("pong\n", roundTrip(tunnel, "pong\n"));
        }
    }

    @Test
    void curlFetchesThroughTheProxyDirectlyAndThroughATunnel(@TempDir Path dir) throws Exception {
        Skip.unless(installed("curl"), "curl is not installed (Debian: apt-get install curl)");
        Path relayed = dir.resolve("relayed.bin");
        Path tunnelled = dir.resolve("tunnelled.bin");
        String url = allowed.base() + "/x.bin";

        Run direct = run(dir, "curl", "-sS", "--fail", "-x", pass.proxyUrl(), "-o", relayed.toString(), url);
        Run connect = run(dir, "curl", "-sS", "--fail", "-p", "-x", pass.proxyUrl(), "-o", tunnelled.toString(), url);

        assertEquals(0, direct.exit(), direct.output());
        assertEquals(0, connect.exit(), connect.output());
        assertArrayEquals(FILE, Files.readAllBytes(relayed));
        assertArrayEquals(FILE, Files.readAllBytes(tunnelled));
        assertEquals(2, allowed.hits("/x.bin"));
    }

    @Test
    void aPrivateTargetIsRefusedWith403AndTheFirstReasonIsRecordedOnThePass() throws Exception {
        Answer relayed = send(proxy, "GET " + refused.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass) + "\r\n");
        Answer tunnel = send(proxy, "CONNECT 127.0.0.2:" + refused.port() + " HTTP/1.1\r\n" + authorization(pass)
                + "\r\n");
        Answer metadata = send(proxy, "GET http://169.254.169.254/latest/meta-data/ HTTP/1.1\r\n"
                + authorization(pass) + "\r\n");

        assertEquals(403, relayed.status(), relayed.head());
        assertEquals(REFUSED_127_0_0_2 + "\n", relayed.text());
        assertEquals(403, tunnel.status(), tunnel.head());
        assertEquals(403, metadata.status(), metadata.head());
        assertEquals("Refused: 169.254.169.254 is a private address\n", metadata.text());
        assertEquals(Optional.of(REFUSED_127_0_0_2), pass.refusal(), "the first refusal is the one kept");
        assertEquals(0, refused.hits("/x.bin"));
        assertEquals(Optional.empty(), proxy.open().refusal(), "refusals belong to the pass that met them");
    }

    @Test
    void aNameThatDoesNotResolveIsABadGatewayAndNotARefusal() throws Exception {
        Answer answer = send(proxy, "GET http://nowhere.invalid/x HTTP/1.1\r\n" + authorization(pass) + "\r\n");

        assertEquals(502, answer.status(), answer.head());
        assertEquals("Could not resolve host nowhere.invalid\n", answer.text());
        assertEquals(Optional.empty(), pass.refusal());
    }

    @Test
    void requestsWithoutALiveCredentialGet407AndReachNothing() throws Exception {
        String user = URI.create(pass.proxyUrl()).getRawUserInfo().split(":")[0];
        List<String> credentials = List.of(
                "",
                "Proxy-Authorization: Basic " + base64(user + ":wrong-secret") + "\r\n",
                "Proxy-Authorization: Basic " + base64("nobody:" + user) + "\r\n",
                "Proxy-Authorization: Bearer " + URI.create(pass.proxyUrl()).getRawUserInfo() + "\r\n",
                "Proxy-Authorization: Basic not base64!\r\n",
                authorization(pass) + authorization(pass));
        for (String credential : credentials) {
            Answer relayed = send(proxy, "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + credential + "\r\n");
            Answer tunnel = send(proxy, "CONNECT 127.0.0.1:" + allowed.port() + " HTTP/1.1\r\n" + credential + "\r\n");

            assertEquals(407, relayed.status(), credential);
            assertTrue(relayed.head().contains("\r\nProxy-Authenticate: Basic realm=\"hermes-egress\"\r\n"),
                    relayed.head());
            assertEquals(407, tunnel.status(), credential);
        }
        assertEquals(0, allowed.hits("/x.bin"));
    }

    @Test
    void closingAPassRevokesItAndEndsItsOpenTunnelsButNoOtherPasses() throws Exception {
        EgressProxy.Pass other = proxy.open();
        try (Echo echo = new Echo();
                Socket mine = tunnel(proxy, pass, "127.0.0.1:" + echo.port());
                Socket theirs = tunnel(proxy, other, "127.0.0.1:" + echo.port())) {
            assertEquals("before\n", roundTrip(mine, "before\n"));

            pass.close();

            assertTrue(ends(mine), "the tunnel of the closed pass ends");
            assertEquals("still\n", roundTrip(theirs, "still\n"), "another pass's tunnel is untouched");
            assertEquals(407, send(proxy, "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass)
                    + "\r\n").status());
            assertEquals(0, allowed.hits("/x.bin"));
        }
        pass.close(); // idempotent
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "GET /x.bin HTTP/1.1",                        // origin form: not a proxy request
        "GET https://127.0.0.1:PORT/x.bin HTTP/1.1",  // https is CONNECT's
        "GET ftp://127.0.0.1:PORT/x.bin HTTP/1.1",
        "PUT http://127.0.0.1:PORT/x.bin HTTP/1.1",   // only GET, HEAD and POST are relayed
        "GET http://user@127.0.0.1:PORT/x.bin HTTP/1.1",
        "GET http://127.0.0.1:PORT/x.bin#top HTTP/1.1",
        "GET http://127.0.0.1:99999/x.bin HTTP/1.1",
        "GET http://127.0.0.1:PORT/x.bin HTTP/2.0",
        "GET  http://127.0.0.1:PORT/x.bin HTTP/1.1",
        "CONNECT 127.0.0.1 HTTP/1.1",                 // CONNECT needs a port
        "CONNECT [::1 HTTP/1.1",
        "CONNECT bad_host!:443 HTTP/1.1",
        "nonsense"})
    void malformedRequestsAre400AndReachNothing(String requestLine) throws Exception {
        String line = requestLine.replace("PORT", String.valueOf(allowed.port()));

        Answer answer = send(proxy, line + "\r\n" + authorization(pass) + "\r\n");

        assertEquals(400, answer.status(), line + " → " + answer.head());
        assertEquals(0, allowed.hits("/x.bin"));
    }

    @Test
    void malformedHeadersAndChunkedBodiesAre400() throws Exception {
        String get = "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass);
        List<String> requests = List.of(
                get + "No colon here\r\n\r\n",
                get + " Folded: line\r\n\r\n",
                get + "Bad Name: x\r\n\r\n",
                "POST " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass)
                        + "Transfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
                "POST " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass)
                        + "Content-Length: 5\r\nContent-Length: 6\r\n\r\nhello!");
        for (String request : requests) {
            assertEquals(400, send(proxy, request).status(), request);
        }
        assertEquals(0, allowed.hits("/x.bin"));
    }

    @Test
    void aHeadIsReadWhetherItComesInOneLargeWriteOrByteByByte() throws Exception {
        String cookies = "Cookie: " + "c".repeat(12 * 1024) + "\r\n"; // as a site's session may be
        Answer large = send(proxy, "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass) + cookies
                + "\r\n");
        Answer trickled;
        try (Socket client = connect(proxy)) {
            for (byte b : ("GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass) + "\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1)) {
                client.getOutputStream().write(b);
                client.getOutputStream().flush();
            }
            trickled = Answer.read(client.getInputStream());
        }

        assertEquals(200, large.status(), large.head());
        assertArrayEquals(FILE, large.body());
        assertEquals(200, trickled.status(), trickled.head());
        assertArrayEquals(FILE, trickled.body());
    }

    @Test
    void aHeadLargerThan16KiBIs400() throws Exception {
        String padding = "X-Padding: " + "a".repeat(20 * 1024) + "\r\n";

        Answer answer = send(proxy, "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass)
                + padding + "\r\n");

        assertEquals(400, answer.status(), answer.head());
        assertTrue(answer.text().contains("16 KiB"), answer.text());
    }

    @Test
    void aHeadThatDoesNotArriveWithin10SecondsIs400() throws Exception {
        long started = System.nanoTime();
        try (Socket client = connect(proxy)) {
            client.getOutputStream().write(("GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass))
                    .getBytes(StandardCharsets.ISO_8859_1)); // and never the blank line

            Answer answer = Answer.read(client.getInputStream());

            assertEquals(400, answer.status(), answer.head());
        }
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue(waitedMillis >= 9_500 && waitedMillis < 15_000, "answered after " + waitedMillis + " ms");
    }

    @Test
    void aSecondRequestOnOneConnectionReachesNoOtherHost() throws Exception {
        Origin other = closeLater(new Origin("127.0.0.1"));
        other.on("/b", exchange -> respond(exchange, 200, "other".getBytes(StandardCharsets.UTF_8)));
        String first = "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n" + authorization(pass) + "\r\n";
        String second = "GET " + other.base() + "/b HTTP/1.1\r\n" + authorization(pass) + "\r\n";

        try (Socket client = connect(proxy)) { // pipelined: both in one write
            client.getOutputStream().write((first + second).getBytes(StandardCharsets.ISO_8859_1));
            Answer.rest(client.getInputStream()); // to the connection's end, answered or not
        }
        try (Socket client = connect(proxy)) { // one after the other
            OutputStream out = client.getOutputStream();
            out.write(first.getBytes(StandardCharsets.ISO_8859_1));
            assertArrayEquals(FILE, Answer.read(client.getInputStream()).body());
            try {
                out.write(second.getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
                assertEquals(-1, client.getInputStream().read(), "the connection ended with the first answer");
            } catch (SocketException ended) {
                // as good: the connection is gone
            }
        }

        assertEquals(0, other.hits("/b"), "the second request went nowhere");
        assertEquals(0, allowed.hits("/b"), "nor to the first request's host");
    }

    @Test
    void aConnectionBeyondTheLimitIsAnswered503UntilOneEnds() throws Exception {
        EgressProxy small = proxy(new EgressProxy.Limits(2, Duration.ofSeconds(2), Duration.ofSeconds(10)));
        try (Socket one = connect(small); Socket two = connect(small); Socket three = connect(small)) {
            Answer busy = Answer.read(three.getInputStream()); // the first two hold their slots, reading their heads

            assertEquals(503, busy.status(), busy.head());
            one.close();
            Await.until(WAIT, () -> send(small, "GET " + allowed.base() + "/x.bin HTTP/1.1\r\n\r\n").status(),
                    status -> status == 407, "a slot is free again once a connection ended");
            assertFalse(two.isClosed());
        }
    }

    @Test
    void aTunnelThatMovesNoByteForTheIdleTimeoutIsClosed() throws Exception {
        EgressProxy quick = proxy(new EgressProxy.Limits(4, Duration.ofSeconds(2), Duration.ofMillis(300)));
        try (Echo echo = new Echo(); Socket tunnel = tunnel(quick, quick.open(), "127.0.0.1:" + echo.port())) {
            assertEquals("ping\n", roundTrip(tunnel, "ping\n"));
            long quiet = System.nanoTime();

            assertTrue(ends(tunnel), "an idle tunnel is closed");
            assertTrue(System.nanoTime() - quiet >= TimeUnit.MILLISECONDS.toNanos(300), "not before the idle timeout");
        }
    }

    @Test
    void closeEndsEveryConnectionRefusesNewOnesAndLeavesNoThreadBehind() throws Exception {
        try (Echo echo = new Echo(); Socket tunnel = tunnel(proxy, pass, "127.0.0.1:" + echo.port());
                Socket waiting = connect(proxy)) {
            assertEquals("ping\n", roundTrip(tunnel, "ping\n"));
            int port = proxy.port();

            proxy.close();

            assertEquals(List.of(), threads.alive(), "close() returns once every hermes-egress thread has ended");
            assertTrue(ends(tunnel));
            assertTrue(ends(waiting));
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", port).close());
            assertThrows(IllegalStateException.class, proxy::open);
            assertFalse(threads.made.isEmpty(), "threads were made, and ended");
        }
    }

    @Test
    void ytDlpDownloadsThroughThePass(@TempDir Path dir) throws Exception {
        Skip.unless(installed("yt-dlp"), "yt-dlp is not installed (Debian: apt-get install yt-dlp)");
        Path file = dir.resolve("x.bin");

        Run ytDlp = ytDlp(dir, pass, file, allowed.base() + "/x.bin");

        assertEquals(0, ytDlp.exit(), ytDlp.output());
        assertArrayEquals(FILE, Files.readAllBytes(file));
        assertEquals(Optional.empty(), pass.refusal());
    }

    @Test
    void ytDlpFollowingARedirectToAPrivateAddressFailsAndThePassSaysWhy(@TempDir Path dir) throws Exception {
        Skip.unless(installed("yt-dlp"), "yt-dlp is not installed (Debian: apt-get install yt-dlp)");
        allowed.on("/hop", exchange -> {
            exchange.getResponseHeaders().set("Location", refused.base() + "/x.bin");
            respond(exchange, 302, new byte[0]);
        });

        Run ytDlp = ytDlp(dir, pass, dir.resolve("x.bin"), allowed.base() + "/hop");

        assertNotEquals(0, ytDlp.exit(), ytDlp.output());
        assertEquals(Optional.of(REFUSED_127_0_0_2), pass.refusal(), ytDlp.output());
        assertEquals(1, allowed.hits("/hop"));
        assertEquals(0, refused.hits("/x.bin"), "the private origin was never reached");
        assertFalse(Files.exists(dir.resolve("x.bin")));
    }

    // ---- clients

    private static String authorization(EgressProxy.Pass pass) {
        return "Proxy-Authorization: Basic " + base64(URI.create(pass.proxyUrl()).getRawUserInfo()) + "\r\n";
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static Socket connect(EgressProxy proxy) throws IOException {
        Socket socket = new Socket();
        socket.setSoTimeout((int) WAIT.toMillis());
        socket.connect(new InetSocketAddress("127.0.0.1", proxy.port()), 5000);
        return socket;
    }

    /** Sends {@code request} on a new connection and reads the answer to the connection's end. */
    private static Answer send(EgressProxy proxy, String request) throws IOException {
        try (Socket socket = connect(proxy)) {
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (SocketException cutShort) {
                // the proxy may answer and close before reading everything; its answer is still there to read
            }
            return Answer.read(socket.getInputStream());
        }
    }

    /** A CONNECT tunnel to {@code authority}, its 200 read. */
    private static Socket tunnel(EgressProxy proxy, EgressProxy.Pass pass, String authority) throws IOException {
        Socket socket = connect(proxy);
        socket.getOutputStream().write(("CONNECT " + authority + " HTTP/1.1\r\nHost: " + authority + "\r\n"
                + authorization(pass) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        String head = Answer.head(socket.getInputStream());
        assertEquals("HTTP/1.1 200 Connection established\r\n\r\n", head);
        return socket;
    }

    private static String roundTrip(Socket socket, String line) throws IOException {
        socket.getOutputStream().write(line.getBytes(StandardCharsets.UTF_8));
        byte[] echoed = socket.getInputStream().readNBytes(line.length());
        return new String(echoed, StandardCharsets.UTF_8);
    }

    /** Whether the other side ends the connection within {@link #WAIT} (end of stream or reset). */
    private static boolean ends(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** An answer as it came: the head's text, and the body bytes up to the connection's end. */
    private record Answer(String head, byte[] body) {
        int status() {
            return Integer.parseInt(head.split(" ", 3)[1]);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        static Answer read(InputStream in) throws IOException {
            return new Answer(head(in), rest(in));
        }

        /** What arrives until the connection ends; a reset ends it too. */
        static byte[] rest(InputStream in) throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            byte[] buffer = new byte[16 * 1024];
            try {
                for (int read; (read = in.read(buffer)) >= 0; ) {
                    body.write(buffer, 0, read);
                }
            } catch (SocketException resetAfterTheAnswer) {
                // what arrived is all there is
            }
            return body.toByteArray();
        }

        /** Everything up to and including the blank line. */
        static String head(InputStream in) throws IOException {
            StringBuilder head = new StringBuilder();
            while (!head.toString().endsWith("\r\n\r\n")) {
                int next = in.read();
                if (next < 0) {
                    throw new IOException("the connection ended within the head: " + head);
                }
                head.append((char) next);
            }
            return head.toString();
        }
    }

    // ---- child processes

    private record Run(int exit, String output) {
    }

    private static boolean installed(String program) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static Run ytDlp(Path dir, EgressProxy.Pass pass, Path file, String url) throws Exception {
        return run(dir, "yt-dlp", "--ignore-config", "--no-cache-dir", "--no-playlist", "--proxy", pass.proxyUrl(),
                "-o", file.toString(), "--", url);
    }

    /**
     * Runs a program with no proxy variables in its environment (so only the command line's proxy counts)
     * and a deadline, and returns its exit status with what it printed.
     */
    private static Run run(Path dir, String... command) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        Map<String, String> environment = builder.environment();
        environment.keySet().removeIf(name -> name.toLowerCase(Locale.ROOT).endsWith("_proxy"));
        environment.put("HOME", dir.toString());
        Process process = builder.start();
        process.getOutputStream().close();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = process.getInputStream()) {
                in.transferTo(output);
            } catch (IOException ignored) {
                // the process went away
            }
        }, "test-child-output");
        reader.start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            reader.join();
            throw new AssertionError(String.join(" ", command) + " did not finish within 60 s: " + output);
        }
        reader.join();
        return new Run(process.exitValue(), output.toString(StandardCharsets.UTF_8));
    }

    // ---- servers

    private static void respond(HttpExchange exchange, int status, byte[] body) throws IOException {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    /** The proxy's threads, named as the composition root names them, remembered to check that they end. */
    private static final class ProxyThreads implements ThreadFactory {
        private final List<Thread> made = new CopyOnWriteArrayList<>();
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable task) {
            Thread thread = new Thread(task, "hermes-egress-" + count.incrementAndGet());
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        }

        List<String> alive() {
            return made.stream().filter(Thread::isAlive).map(Thread::getName).toList();
        }
    }

    /** A real HTTP server on one loopback address, counting requests per path and keeping the last of each. */
    private static final class Origin implements AutoCloseable {
        interface Handler {
            void handle(HttpExchange exchange) throws IOException;
        }

        /** A request as the origin saw it. */
        record Seen(String target, Headers headers) {
        }

        private final HttpServer server;
        private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-origin");
            thread.setDaemon(true);
            return thread;
        });
        private final String address;
        private final Map<String, Handler> handlers = new ConcurrentHashMap<>();
        private final Map<String, AtomicInteger> hits = new ConcurrentHashMap<>();
        private final Map<String, Seen> last = new ConcurrentHashMap<>();

        Origin(String address) throws IOException {
            this.address = address;
            server = HttpServer.create(new InetSocketAddress(address, 0), 0);
            server.setExecutor(executor);
            server.createContext("/", this::dispatch);
            server.start();
        }

        Origin on(String path, Handler handler) {
            handlers.put(path, handler);
            return this;
        }

        int port() {
            return server.getAddress().getPort();
        }

        String base() {
            return "http://" + address + ":" + port();
        }

        int hits(String path) {
            return hits.getOrDefault(path, new AtomicInteger()).get();
        }

        Seen last(String path) {
            return last.get(path);
        }

        private void dispatch(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                hits.computeIfAbsent(path, any -> new AtomicInteger()).incrementAndGet();
                last.put(path, new Seen(exchange.getRequestURI().toString(), exchange.getRequestHeaders()));
                Handler handler = handlers.get(path);
                if (handler == null) {
                    respond(exchange, 404, new byte[0]);
                } else {
                    handler.handle(exchange);
                }
            }
        }

        @Override
        public void close() {
            server.stop(0);
            executor.shutdownNow();
        }
    }

    /** A TCP server on 127.0.0.1 that sends back every byte it receives, one thread per connection. */
    private static final class Echo implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        private final ExecutorService executor = Executors.newCachedThreadPool(task -> {
            Thread thread = new Thread(task, "test-echo");
            thread.setDaemon(true);
            return thread;
        });
        private final List<Socket> accepted = new CopyOnWriteArrayList<>();

        Echo() throws IOException {
            executor.execute(() -> {
                try {
                    while (true) {
                        Socket socket = server.accept();
                        accepted.add(socket);
                        executor.execute(() -> {
                            try (socket) {
                                socket.getInputStream().transferTo(socket.getOutputStream());
                            } catch (IOException ignored) {
                                // the peer left
                            }
                        });
                    }
                } catch (IOException closed) {
                    // stopped
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
            for (Socket socket : accepted) {
                socket.close();
            }
            executor.shutdownNow();
        }
    }
}
