package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The storm's resuming client against a hand-written server that goes away and comes back. */
class StormLoopTest {
    private static final byte[] REQUEST_START = "GET /s HTTP/1.1\r\nHost: x\r\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void resumesWithTheLastEventIdAfterTheServersRetryAndTriesAgainAfterARefusal() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), server.getLocalPort());
            StormLoop.Metrics metrics = new StormLoop.Metrics();
            StormClock clock = new StormClock();
            StormClient client = new StormClient(0, address, null, REQUEST_START, metrics, StreamDialect.HERMES, clock,
                    5_000);
            StormLoop loop = new StormLoop(List.of(client), metrics, 1, TimeUnit.SECONDS.toNanos(10));
            Thread thread = new Thread(loop, "test-loop");
            thread.start();
            long now = EpochMicros.now();
            long stop;
            try {
                try (Socket first = server.accept()) {
                    assertFalse(readRequest(first.getInputStream()).contains("Last-Event-ID"));
                    OutputStream out = first.getOutputStream();
                    out.write(ascii(head(200) + "retry: 100\n\nevent: connected\ndata: {}\n\n"
                            + queueUpdate(0, now) + queueUpdate(1, now) + "event: heartbeat\ndata: {}\n\n"));
                    out.flush();
                    awaitTrue(() -> metrics.distinctDeliveries.get() == 2);
                    stop = EpochMicros.now();
                    clock.stoppedAt(stop);
                    // The stop's own retry, as our server sends it when it shuts down.
                    out.write(ascii("retry: 300\n\n"));
                    out.flush();
                    TimeUnit.MILLISECONDS.sleep(50);
                }
                long closed = System.nanoTime();
                try (Socket refused = server.accept()) {
                    long waited = System.nanoTime() - closed;
                    assertTrue(waited >= TimeUnit.MILLISECONDS.toNanos(250), "reconnected after " + waited / 1e6 + " ms");
                    assertTrue(readRequest(refused.getInputStream()).contains("\r\nLast-Event-ID: 1-1\r\n"));
                    refused.getOutputStream().write(ascii("HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\n\r\n"));
                }
                try (Socket second = server.accept()) {
                    assertTrue(readRequest(second.getInputStream()).contains("\r\nLast-Event-ID: 1-1\r\n"));
                    OutputStream out = second.getOutputStream();
                    out.write(ascii(head(200) + "retry: 100\n\nevent: connected\ndata: {}\n\n"
                            + queueUpdate(1, now) + queueUpdate(2, now)));
                    out.flush();
                    awaitTrue(() -> metrics.distinctDeliveries.get() == 3);
                    assertEquals(1, metrics.back.get());
                }
            } finally {
                loop.stop();
                thread.join(10_000);
            }
            ReconnectStorm.Outcome outcome = ReconnectStorm.Outcome.of(client, stop);
            assertTrue(outcome.liveAtStop());
            assertTrue(outcome.droppedMicros() >= stop);
            assertTrue(outcome.backMicros() > outcome.droppedMicros());
            assertEquals(300, outcome.retryMillis());
            assertEquals(1, client.seqs().duplicates());
            assertEquals(Map.of("status 503", 1), metrics.failuresAfterStop);
        }
    }

    @Test
    void owesEachClientTheAcknowledgedEventsSentFromItsFirstLiveMoment(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("published.tsv");
        Files.writeString(log, "0\t100\t1\n1\t200\t0\n2\t200\t1\n3\t300\t1\n");
        ReconnectStorm.Published published = ReconnectStorm.Published.read(log);
        assertEquals(4, published.count());
        assertEquals(1, published.failed);
        assertEquals("{2, 3}", published.owedFrom(150).toString());
        assertEquals("{2, 3}", published.owedFrom(200).toString());
        assertEquals("{0, 2, 3}", published.owedFrom(1).toString());
        assertEquals("{}", published.owedFrom(0).toString(), "a client never live is owed nothing");
        assertEquals("{}", published.owedFrom(301).toString());
    }

    private static String head(int status) {
        return "HTTP/1.1 " + status + " OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";
    }

    private static String queueUpdate(int seq, long sentAtMicros) {
        return "id: 1-" + seq + "\nevent: queue_update\ndata: {\"seq\":" + seq + ",\"sent_at_us\":" + sentAtMicros
                + "}\n\n";
    }

    private static String readRequest(InputStream in) throws IOException {
        ByteArrayOutputStream request = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = ascii("\r\n\r\n");
        while (matched < end.length) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("client closed before its request ended");
            }
            request.write(b);
            matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        return request.toString(StandardCharsets.ISO_8859_1);
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
