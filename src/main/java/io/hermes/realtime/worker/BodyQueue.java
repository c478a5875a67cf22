package io.hermes.realtime.worker;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A response body the reading thread takes from with a time limit. It replaces
 * {@code BodyHandlers.ofInputStream()}, whose blocking read cannot be bounded and, on JDK 17, even swallows an
 * interrupt and keeps waiting; with a bounded wait the reader itself notices a cancel, a deadline or an
 * interrupt within one wait, and no watchdog thread is needed.
 *
 * <p>Back-pressure: one list of buffers is requested at a time, and the next only once the reader has taken
 * it, so a slow disk never makes the body pile up in memory.
 */
final class BodyQueue implements HttpResponse.BodySubscriber<BodyQueue>, AutoCloseable {
    /** A body handler whose response body is a new {@code BodyQueue}. */
    static final HttpResponse.BodyHandler<BodyQueue> HANDLER = responseInfo -> new BodyQueue();

    private static final Object END = new Object();

    /** The subscriber signals queued for the reader: a {@code List<ByteBuffer>}, {@link #END} or a failure. */
    private final BlockingQueue<Object> signals = new LinkedBlockingQueue<>();
    private final AtomicBoolean closed = new AtomicBoolean();
    private volatile Flow.Subscription subscription;

    // Used by the reading thread only.
    private Iterator<ByteBuffer> pending = List.<ByteBuffer>of().iterator();
    private ByteBuffer current;
    private boolean ended;
    private IOException failure;

    private BodyQueue() {
    }

    /** The client's report that the body failed; {@link #read} rethrows it. */
    private record Failed(Throwable cause) {
    }

    /**
     * Copies up to {@code into.length} bytes of the body into {@code into}.
     *
     * @return the number of bytes copied; 0 if nothing arrived within {@code wait}; -1 at the end of the body
     * @throws IOException          the connection failed, or the body was closed
     * @throws InterruptedException the reading thread was interrupted while waiting
     */
    int read(byte[] into, Duration wait) throws IOException, InterruptedException {
        while (current == null || !current.hasRemaining()) {
            if (closed.get()) {
                throw new IOException("closed");
            }
            if (failure != null) {
                throw failure;
            }
            if (ended) {
                return -1;
            }
            if (pending.hasNext()) {
                current = pending.next();
                continue;
            }
            Object signal = signals.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (signal == null) {
                return 0;
            }
            if (signal == END) {
                ended = true;
            } else if (signal instanceof Failed failed) {
                failure = failed.cause() instanceof IOException io ? io : new IOException(failed.cause());
            } else {
                @SuppressWarnings("unchecked")
                List<ByteBuffer> buffers = (List<ByteBuffer>) signal;
                pending = buffers.iterator();
                subscription.request(1); // room for exactly one more list
            }
        }
        int count = Math.min(into.length, current.remaining());
        current.get(into, 0, count);
        return count;
    }

    /** Abandons the body and the connection under it. Idempotent, callable from any thread. */
    @Override
    public void close() {
        if (closed.compareAndSet(false, true)) {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
            signals.clear();
        }
    }

    @Override
    public CompletionStage<BodyQueue> getBody() {
        return CompletableFuture.completedStage(this);
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        subscription = s;
        if (closed.get()) {
            s.cancel(); // closed before the client subscribed us
        } else {
            s.request(1);
        }
    }

    @Override
    public void onNext(List<ByteBuffer> buffers) {
        if (!closed.get()) {
            signals.add(buffers);
        }
    }

    @Override
    public void onError(Throwable cause) {
        signals.add(new Failed(cause));
    }

    @Override
    public void onComplete() {
        signals.add(END);
    }
}
