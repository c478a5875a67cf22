package io.hermes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One thread with one {@link Selector} driving many {@link StormClient}s, and their reconnection timers.
 * The first connections open in a ramp (at most {@code maxPending} first attempts unsettled at a time), as
 * the fan-out generator's do; after that every client reconnects on its own timer, with no ramp, as a
 * browser population does: that burst is the storm being measured.
 */
final class StormLoop implements Runnable {
    private static final int READ_BUFFER = 64 * 1024;

    /** What one loop counted. Plain fields belong to the loop's thread; the atomics are read while it runs. */
    static final class Metrics {
        final AtomicInteger everLive = new AtomicInteger();
        final AtomicInteger back = new AtomicInteger();
        final AtomicLong distinctDeliveries = new AtomicLong();
        final Map<String, Integer> failuresBeforeStop = new TreeMap<>();
        final Map<String, Integer> failuresAfterStop = new TreeMap<>();
        final Map<String, Integer> endReasons = new TreeMap<>();
        int settled;
        long attemptsAfterStop;
        long bytesRead;
        long foreignEvents;
        long otherEvents;
        private final PriorityQueue<Due> due = new PriorityQueue<>();
        private long order;

        void count(Map<String, Integer> counts, String reason) {
            counts.merge(reason, 1, Integer::sum);
        }

        /** Asks the loop to call {@link StormClient#attempt} after {@code millis}. */
        void schedule(StormClient client, long millis) {
            due.add(new Due(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis), order++, client));
        }
    }

    private record Due(long nanos, long order, StormClient client) implements Comparable<Due> {
        @Override
        public int compareTo(Due other) {
            int byTime = Long.compare(nanos - other.nanos, 0);
            return byTime != 0 ? byTime : Long.compare(order, other.order);
        }
    }

    private final List<StormClient> clients;
    private final Metrics metrics;
    private final int maxPending;
    private final long handshakeTimeoutNanos;
    private final Selector selector;
    private volatile boolean running = true;
    private int started;

    StormLoop(List<StormClient> clients, Metrics metrics, int maxPending, long handshakeTimeoutNanos) {
        this.clients = clients;
        this.metrics = metrics;
        this.maxPending = maxPending;
        this.handshakeTimeoutNanos = handshakeTimeoutNanos;
        try {
            this.selector = Selector.open();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    @Override
    public void run() {
        ByteBuffer scratch = ByteBuffer.allocate(READ_BUFFER);
        long nextTimeoutCheck = System.nanoTime();
        try {
            while (running) {
                while (started < clients.size() && started - metrics.settled < maxPending) {
                    clients.get(started++).attempt(selector);
                }
                long now = System.nanoTime();
                while (!metrics.due.isEmpty() && metrics.due.peek().nanos() - now <= 0) {
                    metrics.due.poll().client().attempt(selector);
                }
                long wait = 100;
                if (!metrics.due.isEmpty()) {
                    long untilDue = TimeUnit.NANOSECONDS.toMillis(metrics.due.peek().nanos() - System.nanoTime());
                    wait = Math.max(1, Math.min(wait, untilDue));
                }
                selector.select(wait);
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    handle(key, scratch);
                }
                now = System.nanoTime();
                if (now - nextTimeoutCheck >= 0) {
                    for (int i = 0; i < started; i++) {
                        clients.get(i).timeOutIfStuck(now, handshakeTimeoutNanos);
                    }
                    nextTimeoutCheck = now + TimeUnit.SECONDS.toNanos(1);
                }
            }
        } catch (IOException selectorBroke) {
            System.err.println("storm loop stopped: " + selectorBroke);
        } finally {
            clients.forEach(StormClient::close);
            try {
                selector.close();
            } catch (IOException ignored) {
                // the run is over
            }
        }
    }

    /** Asks the loop to stop after its current pass; the caller then joins the thread. */
    void stop() {
        running = false;
        selector.wakeup();
    }

    private static void handle(SelectionKey key, ByteBuffer scratch) {
        StormClient client = (StormClient) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                client.onConnectable();
            } else if (key.isWritable()) {
                client.onWritable();
            } else if (key.isReadable()) {
                client.onReadable(scratch);
            }
        } catch (CancelledKeyException closedMeanwhile) {
            // the client closed this connection while handling it
        } catch (IOException | MalformedResponseException broken) {
            client.broke(broken);
        }
    }
}
