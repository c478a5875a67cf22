package io.hermes.realtime.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One body being received: reads what the container offers whenever it offers it, and settles exactly once,
 * whichever comes first: the whole body (the handler runs), too many bytes (413), too many bodies of the same
 * sender waiting (429), the deadline (408), or a read failure (400). Containers disagree on which callbacks
 * follow a failure, and in what order, so every callback funnels into one {@link #settle}.
 *
 * <p>A body takes a place under the in-flight caps only once it has to wait for the network: one that came
 * with its request, as small JSON bodies do, is read and handled without ever counting, so a busy client is
 * not refused because the server was slow to call back. The place is released when the body settles, and
 * again, harmlessly, when the async context ends.
 */
final class BodyReception implements ReadListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(BodyReception.class.getName());
    private static final int CHUNK = 8192;

    private final BodyReader reader;
    private final AsyncContext async;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final BodyOutcome outcome;
    /** Grows as bytes arrive, never ahead of them: a declared length alone reserves no memory. */
    private final ByteArrayOutputStream received;
    private final byte[] chunk = new byte[CHUNK];
    private final AtomicBoolean settled = new AtomicBoolean();
    private final ServletInputStream in;
    /** Taken when the body first waits for more bytes; null until then. */
    private volatile InFlightBodies.Slot slot;

    BodyReception(BodyReader reader, AsyncContext async, HttpServletRequest request, HttpServletResponse response,
            BodyOutcome outcome, int expectedBytes) throws IOException {
        this.reader = reader;
        this.async = async;
        this.request = request;
        this.response = response;
        this.outcome = outcome;
        this.received = new ByteArrayOutputStream(Math.max(256, expectedBytes));
        this.in = request.getInputStream();
    }

    /** Starts reading; the container calls back from here on, on its own threads. */
    void start(long deadlineMillis) {
        async.setTimeout(deadlineMillis);
        async.addListener(this);
        in.setReadListener(this);
        if (!in.isReady()) { // nothing of the body came with the request
            awaitMore();
        }
    }

    @Override
    public void onDataAvailable() throws IOException {
        // isReady() returning false registers interest: the container calls again when more has come.
        while (!settled.get() && in.isReady()) {
            int count = in.read(chunk);
            if (count < 0) {
                return;
            }
            if (received.size() + count > reader.maxBytes()) {
                settle(reader.tooLarge());
                return;
            }
            received.write(chunk, 0, count);
        }
        awaitMore();
    }

    /**
     * Called when the container has no more bytes for now: unless the body is complete (Tomcat says not
     * ready then, Jetty offers the end), it waits on the network, and counts against its sender's caps.
     */
    private void awaitMore() {
        if (settled.get() || slot != null || in.isFinished()) {
            return;
        }
        slot = reader.waiting(request);
        if (slot == null) {
            settle(BodyReader.tooMany());
        }
    }

    @Override
    public void onAllDataRead() {
        settle(null);
    }

    /**
     * Reading failed: broken chunked framing, a connection that ended early, or a client that went away.
     * A 400 is written in every case; to a client that is gone it is simply lost.
     */
    @Override
    public void onError(Throwable failure) {
        if (!settled.get()) {
            LOG.log(Level.DEBUG, "Body of {0} {1} from {2} unreadable after {3} bytes ({4}); answering 400",
                    request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), received.size(),
                    String.valueOf(failure));
        }
        settle(BodyReader.malformed());
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        if (!settled.get()) {
            LOG.log(Level.DEBUG, "Body of {0} {1} from {2} incomplete at the deadline ({3} bytes); answering 408",
                    request.getMethod(), request.getRequestURI(), request.getRemoteAddr(), received.size());
        }
        settle(reader.tooSlow());
    }

    @Override
    public void onError(AsyncEvent event) {
        onError(event.getThrowable());
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // never restarted
    }

    /** The one end of every path: answers (the handler's work, or {@code refusal}) and completes, once. */
    private void settle(ApiException refusal) {
        if (!settled.compareAndSet(false, true)) {
            return;
        }
        release();
        try {
            if (refusal == null) {
                request.setAttribute(BodyReader.RECEIVED, received.toByteArray());
                outcome.received();
            } else {
                outcome.refused(refusal);
            }
            // Flushed before completing: after a read failure Tomcat closes the connection as soon as this
            // callback returns, and an answer still in the buffer would be lost.
            response.flushBuffer();
        } catch (IOException clientGone) {
            LOG.log(Level.DEBUG, "Could not answer {0} {1}: {2}", request.getMethod(), request.getRequestURI(),
                    String.valueOf(clientGone));
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException alreadyEnded) {
                // the container ended the request first (a connection that failed); nothing is left to do
            }
        }
    }

    private void release() {
        InFlightBodies.Slot taken = slot;
        if (taken != null) {
            taken.release();
        }
    }
}
