package io.hermes.realtime.testing;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * A stream that behaves as a browser's {@code EventSource}: when the server ends it or refuses it, it opens it
 * again after a pause with {@code Last-Event-ID} set to the last id it received. It keeps every event and
 * every {@code resync}, in the order they came, across all its connections, for a test to check for gaps.
 *
 * <p>Its one thread ({@code resuming-stream}) is started by {@link #open} and stopped by {@link #close}.
 */
public final class ResumingStream implements AutoCloseable {
    /** What a stream sends besides application events: not kept. */
    private static final Set<String> PREAMBLE = Set.of("retry", "connected", ":", "heartbeat");
    private static final Duration LOOK = Duration.ofMillis(200);

    private final URI uri;
    private final Map<String, String> headers;
    private final Duration retry;
    private final List<SseEvent> received = new ArrayList<>();
    private final CountDownLatch firstConnected = new CountDownLatch(1);
    private final Thread thread;
    private volatile boolean closing;
    private volatile SseTestClient current;
    private volatile int connections;
    private String lastId;

    private ResumingStream(URI uri, Map<String, String> headers, Duration retry) {
        this.uri = uri;
        this.headers = headers;
        this.retry = retry;
        this.thread = new Thread(this::follow, "resuming-stream");
        this.thread.setDaemon(true);
    }

    /**
     * Opens {@code uri} (with {@code headers}, an Authorization among them) and keeps it open until closed.
     *
     * @param retry the pause before each new attempt, as a browser waits for {@code retry:}
     */
    public static ResumingStream open(URI uri, Map<String, String> headers, Duration retry) {
        ResumingStream stream = new ResumingStream(uri, Map.copyOf(headers), retry);
        stream.thread.start();
        return stream;
    }

    /** Waits for the first {@code connected} event; false if it did not come within {@code timeout}. */
    public boolean awaitConnected(Duration timeout) throws InterruptedException {
        return firstConnected.await(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Events and resyncs received so far, in order. */
    public List<SseEvent> received() {
        synchronized (received) {
            return List.copyOf(received);
        }
    }

    /** How many times a connection was opened and answered 200, the first included. */
    public int connections() {
        return connections;
    }

    private void follow() {
        while (!closing) {
            try (SseTestClient client = connect()) {
                if (client == null || client.status() != 200) {
                    pause();
                    continue;
                }
                current = client;
                connections++;
                while (!closing) {
                    SseEvent event = client.poll(LOOK);
                    if (event == null) {
                        if (client.hasEnded()) {
                            break;
                        }
                        continue;
                    }
                    take(event);
                }
            } catch (IOException | RuntimeException refusedOrBroken) {
                // the server is away or refused: try again after the pause, as a browser does
            } catch (InterruptedException interrupted) {
                return;
            } finally {
                current = null;
            }
            if (!closing) {
                pause();
            }
        }
    }

    private SseTestClient connect() throws IOException {
        Map<String, String> all = new HashMap<>(headers);
        synchronized (received) {
            if (lastId != null) {
                all.put("Last-Event-ID", lastId);
            }
        }
        return SseTestClient.open(uri, all);
    }

    private void take(SseEvent event) {
        if (event.name().equals("connected")) {
            firstConnected.countDown();
            return;
        }
        if (PREAMBLE.contains(event.name())) {
            return;
        }
        synchronized (received) {
            received.add(event);
            if (event.id() != null && !event.id().isEmpty()) {
                lastId = event.id();
            }
        }
    }

    private void pause() {
        try {
            Thread.sleep(retry.toMillis()); // the retry: a browser waits, not a guess at timing
        } catch (InterruptedException interrupted) {
            closing = true;
        }
    }

    @Override
    public void close() throws InterruptedException {
        closing = true;
        SseTestClient open = current;
        if (open != null) {
            try {
                open.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
        thread.interrupt();
        thread.join(5000);
    }
}
