package io.hermes.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One thread with one {@link Selector} driving many {@link SseClient}s. Connections are opened in a
 * ramp, at most {@code maxPending} handshakes at a time, so the time-to-headers figure measures the
 * server rather than a SYN flood of our own making.
 */
final class EventLoop implements Runnable {
    private static final int READ_BUFFER = 64 * 1024;

    private final List<SseClient> clients;
    private final LoopMetrics metrics;
    private final int maxPending;
    private final long handshakeTimeoutNanos;
    private final Selector selector;
    private volatile boolean running = true;
    private volatile boolean drainRequested;
    private boolean draining;
    private int started;

    EventLoop(List<SseClient> clients, LoopMetrics metrics, int maxPending, long handshakeTimeoutNanos) {
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
                startMore();
                if (drainRequested && !draining) {
                    draining = true;
                    clients.forEach(SseClient::startDraining);
                }
                selector.select(100);
                long nowMicros = EpochMicros.now();
                Iterator<SelectionKey> ready = selector.selectedKeys().iterator();
                while (ready.hasNext()) {
                    SelectionKey key = ready.next();
                    ready.remove();
                    handle(key, scratch, nowMicros);
                }
                long now = System.nanoTime();
                if (now - nextTimeoutCheck >= 0) {
                    for (int i = 0; i < started; i++) {
                        clients.get(i).timeOutIfStuck(now, handshakeTimeoutNanos);
                    }
                    nextTimeoutCheck = now + TimeUnit.SECONDS.toNanos(1);
                }
            }
        } catch (IOException selectorBroke) {
            System.err.println("event loop stopped: " + selectorBroke);
        } finally {
            clients.forEach(SseClient::close);
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

    /** Asks the loop to read its stalled clients again (see {@link SseClient#startDraining()}). */
    void drainStalled() {
        drainRequested = true;
        selector.wakeup();
    }

    private void startMore() {
        while (started < clients.size() && started - metrics.settled() < maxPending) {
            clients.get(started++).start(selector);
        }
    }

    private static void handle(SelectionKey key, ByteBuffer scratch, long nowMicros) {
        SseClient client = (SseClient) key.attachment();
        try {
            if (!key.isValid()) {
                return;
            }
            if (key.isConnectable()) {
                client.onConnectable(key);
            } else if (key.isWritable()) {
                client.onWritable(key);
            } else if (key.isReadable()) {
                client.onReadable(scratch, nowMicros);
            }
        } catch (CancelledKeyException closedMeanwhile) {
            // the client closed itself while handling this key
        } catch (IOException | MalformedResponseException broken) {
            client.broke(broken);
        }
    }
}
