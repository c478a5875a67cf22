package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.app.Settings;
import io.hermes.realtime.testing.Await;
import io.hermes.realtime.testing.RawStream;
import io.hermes.realtime.testing.TestRedis;
import io.hermes.realtime.testing.TestServer;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Ten thousand streams opened and dropped, half with a clean close and half with a reset, leave nothing
 * behind: no stream in the registry, no reserved slot (the instance admits exactly its limit again), no
 * socket, and no heap growth. The server runs in this JVM, so its heap is this JVM's heap.
 */
class ChurnIT {
    private static final int CYCLES = 10_000;
    private static final int WARM_UP = 1_000;
    private static final int PARALLEL = 8;
    private static final int MAX_CONNECTIONS = 2_000;
    /**
     * A dropped stream stays registered until a write to it fails (up to two heartbeats), so an unpaced
     * churn would hold thousands at once; the clients pause while more than this many are registered.
     */
    private static final int PACE = MAX_CONNECTIONS / 2;
    private static final long HEAP_GROWTH_LIMIT = 20L << 20;
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void tenThousandConnectsAndDisconnectsLeaveNoStreamNoSlotAndNoHeapBehind() throws Exception {
        TestRedis redis = TestRedis.shared();
        redis.flush();
        try (TestServer server = TestServer.start(Map.of(Settings.HEARTBEAT_INTERVAL, "1",
                Settings.MAX_CONNECTIONS, Integer.toString(MAX_CONNECTIONS), Settings.WORKER_ENABLED, "false"))) {
            churn(server, WARM_UP); // loads classes, fills pools and caches, so what follows measures leaks only
            server.awaitActiveStreams(0, WAIT);
            long heapBefore = heapUsedAfterGc();

            long started = System.nanoTime();
            churn(server, CYCLES);
            Duration churned = Duration.ofNanos(System.nanoTime() - started);
            Duration drained = server.awaitActiveStreams(0, WAIT);
            long heapAfter = heapUsedAfterGc();

            System.out.printf("ChurnIT: %d cycles in %d ms (%d in parallel), all streams reclaimed %d ms later;"
                    + " heap used after GC %.1f MB before, %.1f MB after (growth %+.1f MB); container sockets %d%n",
                    CYCLES, churned.toMillis(), PARALLEL, drained.toMillis(), heapBefore / 1e6, heapAfter / 1e6,
                    (heapAfter - heapBefore) / 1e6, server.openSockets());
            assertTrue(heapAfter - heapBefore < HEAP_GROWTH_LIMIT,
                    "heap grew by " + (heapAfter - heapBefore) + " bytes");
            assertEveryStreamSlotIsFree(server);
        }
    }

    /** Runs {@code cycles} open-then-drop cycles on {@link #PARALLEL} threads: even ones close, odd ones reset. */
    private static void churn(TestServer server, int cycles) throws Exception {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        ExecutorService clients = Executors.newFixedThreadPool(PARALLEL);
        try {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < PARALLEL; i++) {
                running.add(clients.submit(() -> {
                    for (int cycle = next.getAndIncrement(); cycle < cycles; cycle = next.getAndIncrement()) {
                        if (cycle % 100 == 0) {
                            awaitAtMost(server, PACE);
                        }
                        RawStream stream = RawStream.open(server.port(), "/events/queue", 0);
                        if (cycle % 2 == 0) {
                            stream.close();
                        } else {
                            stream.reset();
                        }
                        done.incrementAndGet();
                    }
                    return null;
                }));
            }
            for (Future<?> client : running) {
                client.get(2, TimeUnit.MINUTES);
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals(cycles, done.get(), "every cycle opened a stream (none was refused)");
    }

    private static void awaitAtMost(TestServer server, int streams) throws Exception {
        Await.until(WAIT, server::activeStreams, open -> open <= streams, "dropped streams are reclaimed");
    }

    /** A leaked slot would make the limit bite early: exactly MAX_CONNECTIONS streams open, the next is refused. */
    private static void assertEveryStreamSlotIsFree(TestServer server) throws Exception {
        List<RawStream> open = new ArrayList<>();
        try {
            for (int i = 0; i < MAX_CONNECTIONS; i++) {
                open.add(RawStream.open(server.port(), "/events/queue", 0));
            }
            IOException refused = assertThrows(IOException.class,
                    () -> RawStream.open(server.port(), "/events/queue", 0).close());
            assertTrue(refused.getMessage().contains("503"), refused.getMessage());
            assertEquals(MAX_CONNECTIONS, server.activeStreams());
        } finally {
            for (RawStream stream : open) {
                stream.reset();
            }
        }
        server.awaitActiveStreams(0, WAIT);
    }

    private static long heapUsedAfterGc() {
        long least = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            least = Math.min(least, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return least;
    }
}
