package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

/** The generator against a hand-written server that frames its stream the way Jetty does. */
class EventLoopTest {
    private static final int CLIENTS = 5;
    private static final byte[] REQUEST = "GET /s HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void countsDeliveriesLossAndDuplicatesPerStreamAndTimesTheHandshake() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            List<SseClient> clients = new ArrayList<>();
            LoopMetrics metrics = new LoopMetrics();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(new SseClient(address, null, REQUEST, metrics, StreamDialect.HERMES, false));
            }
            // At most two handshakes at a time, so the ramp is exercised too.
            EventLoop loop = new EventLoop(clients, metrics, 2, TimeUnit.SECONDS.toNanos(10));
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            List<Socket> accepted = new ArrayList<>();
            try {
                for (int i = 0; i < CLIENTS; i++) {
                    Socket socket = server.accept();
                    accepted.add(socket);
                    readRequest(socket.getInputStream());
                    OutputStream out = socket.getOutputStream();
                    out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream;charset=utf-8\r\n"
                            + "Transfer-Encoding: chunked\r\n\r\n"));
                    out.write(chunkWithoutItsCrLf("retry: 3000\n\nevent: connected\ndata: {\"connection_id\":\"c\"}\n\n"));
                    out.flush();
                }
                awaitTrue(() -> metrics.connected.get() == CLIENTS);
                long now = EpochMicros.now();
                for (Socket socket : accepted) {
                    OutputStream out = socket.getOutputStream();
                    out.write(ascii("\r\n"));
                    out.write(chunkWithoutItsCrLf(queueUpdate(0, now) + queueUpdate(2, now)));
                    out.write(ascii("\r\n"));
                    out.write(chunkWithoutItsCrLf(queueUpdate(2, now) + ": ping\n\n"));
                    out.flush();
                }
                awaitTrue(() -> metrics.distinctDeliveries.get() == 2L * CLIENTS);
            } finally {
                loop.stop();
                thread.join(10_000);
                for (Socket socket : accepted) {
                    socket.close();
                }
            }

            RunReport report = new RunReport(CLIENTS, clients, List.of(metrics), 3, "test", 0, 1);
            assertEquals(CLIENTS, report.figure("clients_connected"));
            assertEquals(3L * CLIENTS, report.figure("deliveries_expected"));
            assertEquals(2L * CLIENTS, report.figure("deliveries_received"));
            assertEquals((long) CLIENTS, report.figure("deliveries_lost"));
            assertEquals((long) CLIENTS, report.figure("duplicates"));
            assertEquals(CLIENTS, report.figure("clients_with_loss"));
            assertEquals(Map.of(), report.figure("clients_failure_reasons"));
            assertEquals(CLIENTS, (int) metrics.headersMicros.getTotalCount());
            int bySecond = 0; // "second:handshakes/p50/p99 …": every head is counted in exactly one second
            for (String entry : ((String) report.figure("headers_by_second")).split(" ")) {
                bySecond += Integer.parseInt(entry.substring(entry.indexOf(':') + 1, entry.indexOf('/')));
            }
            assertEquals(CLIENTS, bySecond);
            assertTrue((double) report.figure("latency_ms_max") < 10_000);
            assertEquals((long) CLIENTS, metrics.comments);
        }
    }

    @Test
    void countsARefusedStatusAsAFailureWithItsReason() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoopMetrics metrics = new LoopMetrics();
            SseClient client = new SseClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                    null, REQUEST, metrics, StreamDialect.HERMES, false);
            EventLoop loop = new EventLoop(List.of(client), metrics, 1, TimeUnit.SECONDS.toNanos(10));
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            try (Socket socket = server.accept()) {
                readRequest(socket.getInputStream());
                socket.getOutputStream().write(ascii("HTTP/1.1 503 Service Unavailable\r\nRetry-After: 3\r\n"
                        + "Content-Length: 2\r\n\r\n{}"));
                awaitTrue(() -> metrics.failed.get() == 1);
            } finally {
                loop.stop();
                thread.join(10_000);
            }
            assertEquals("status 503", client.failure());
        }
    }

    @Test
    void countsAResponseThatEndsBeforeTheConnectedEventAsAFailure() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoopMetrics metrics = new LoopMetrics();
            SseClient client = new SseClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                    null, REQUEST, metrics, StreamDialect.HERMES, false);
            EventLoop loop = new EventLoop(List.of(client), metrics, 1, TimeUnit.SECONDS.toNanos(10));
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            try (Socket socket = server.accept()) {
                readRequest(socket.getInputStream());
                socket.getOutputStream().write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\nd\r\nretry: 3000\n\n\r\n0\r\n\r\n"));
                awaitTrue(() -> metrics.failed.get() == 1);
            } finally {
                loop.stop();
                thread.join(10_000);
            }
            assertEquals("server ended the response before the connected event", client.failure());
        }
    }

    @Test
    void nchanStreamsCountAsConnectedAtTheirHeadAndCarryUnnamedMessages() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoopMetrics metrics = new LoopMetrics();
            SseClient client = new SseClient(new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort()),
                    null, REQUEST, metrics, StreamDialect.NCHAN, false);
            EventLoop loop = new EventLoop(List.of(client), metrics, 1, TimeUnit.SECONDS.toNanos(10));
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            try (Socket socket = server.accept()) {
                readRequest(socket.getInputStream());
                OutputStream out = socket.getOutputStream();
                out.write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream; charset=utf-8\r\n"
                        + "Connection: keep-alive\r\n\r\n: hi\n\n"));
                out.flush();
                awaitTrue(() -> metrics.connected.get() == 1);
                long now = EpochMicros.now();
                out.write(ascii("id: 1:0\ndata: {\"seq\":0,\"sent_at_us\":" + now + "}\n\n"
                        + "id: 1:1\ndata: {\"seq\":1,\"sent_at_us\":" + now + "}\n\n"));
                out.flush();
                awaitTrue(() -> metrics.distinctDeliveries.get() == 2);
            } finally {
                loop.stop();
                thread.join(10_000);
            }
            assertTrue(client.connected());
        }
    }

    @Test
    void aStalledClientStopsReadingAndLearnsAtTheEndWhetherTheServerCutItOff() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            LoopMetrics metrics = new LoopMetrics();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            SseClient stalled = new SseClient(address, null, REQUEST, metrics, StreamDialect.HERMES, true);
            SseClient reader = new SseClient(address, null, REQUEST, metrics, StreamDialect.HERMES, false);
            EventLoop loop = new EventLoop(List.of(stalled, reader), metrics, 1, TimeUnit.SECONDS.toNanos(10));
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            // One handshake at a time: the stalled client connects first, then the reader.
            try (Socket first = acceptStream(server); Socket second = acceptStream(server)) {
                awaitTrue(() -> metrics.connected.get() == 2);
                long now = EpochMicros.now();
                for (Socket socket : List.of(first, second)) {
                    socket.getOutputStream().write(ascii(queueUpdate(0, now).replace("id: 1-0\n", "")));
                }
                awaitTrue(() -> metrics.distinctDeliveries.get() == 1);
                TimeUnit.MILLISECONDS.sleep(200);
                assertEquals(1, metrics.distinctDeliveries.get(), "the stalled client read an event");
                first.close();
                loop.drainStalled();
                awaitTrue(stalled::cutOff);
            } finally {
                loop.stop();
                thread.join(10_000);
            }
            RunReport report = new RunReport(2, List.of(stalled, reader), List.of(metrics), 1, "test", 0, 1);
            assertEquals(1, report.figure("clients_stalled"));
            assertEquals(1, report.figure("clients_stalled_cut_off"));
            assertEquals(0L, report.figure("deliveries_lost"));
        }
    }

    private static Socket acceptStream(ServerSocket server) throws IOException {
        Socket socket = server.accept();
        readRequest(socket.getInputStream());
        socket.getOutputStream().write(ascii("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n\r\n"
                + "event: connected\ndata: {}\n\n"));
        return socket;
    }

    private static String queueUpdate(int seq, long sentAtMicros) {
        return "id: 1-" + seq + "\nevent: queue_update\ndata: {\"action\":\"status_changed\",\"seq\":" + seq
                + ",\"sent_at_us\":" + sentAtMicros + ",\"padding\":\"xx\"}\n\n";
    }

    /** A chunk as Jetty sends it: size line and data now, the closing CRLF in front of the next chunk. */
    private static byte[] chunkWithoutItsCrLf(String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        byte[] size = ascii(Integer.toHexString(bytes.length) + "\r\n");
        byte[] chunk = new byte[size.length + bytes.length];
        System.arraycopy(size, 0, chunk, 0, size.length);
        System.arraycopy(bytes, 0, chunk, size.length, bytes.length);
        return chunk;
    }

    private static void readRequest(InputStream in) throws IOException {
        int matched = 0;
        byte[] end = ascii("\r\n\r\n");
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before its request ended");
            }
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
    }

    private static void awaitTrue(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "condition not met within 10 s");
            Thread.sleep(10);
        }
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
