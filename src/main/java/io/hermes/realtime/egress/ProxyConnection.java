package io.hermes.realtime.egress;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection of the {@link EgressProxy} and, once its request passed every check, the one
 * connection to the checked address it is joined to. {@link #serve} runs on a pool thread: it reads the head,
 * authenticates, checks, connects, and then carries the client's bytes to the origin while a second task
 * carries the origin's back. {@link #close} ends both sides at once, from any thread, any number of times.
 */
final class ProxyConnection {
    /** How long a client may take to send its whole request head. */
    static final Duration HEAD_TIMEOUT = Duration.ofSeconds(10);
    private static final int BUFFER = 16 * 1024;
    /** How much of an unread request is swallowed after an error answer, so closing does not reset it away. */
    private static final int DRAIN_LIMIT = 64 * 1024;

    /** What the connection needs of its proxy. */
    interface Owner {
        /** The live pass whose credentials a {@code Proxy-Authorization} value carries, or null. */
        EgressProxy.Pass authenticate(List<String> proxyAuthorization);

        AddressPolicy policy();

        EgressProxy.Limits limits();

        /** Runs the origin-to-client copy; may refuse once the proxy closes. */
        Executor pipes();

        /** Called once, when the connection has ended. */
        void ended(ProxyConnection connection);
    }

    private final Socket client;
    private final Owner owner;
    private final long acceptedNanos;
    private final AtomicBoolean closed = new AtomicBoolean();
    /** A tunnel's copy directions still running; the last to end closes the connection. */
    private final AtomicInteger directions = new AtomicInteger(2);
    private volatile Socket origin;
    private volatile EgressProxy.Pass pass;
    /** When a byte last moved, while bytes are relayed; {@code 0} before that ({@link #idleSince}). */
    private volatile long lastActivityNanos;

    ProxyConnection(Socket client, Owner owner) {
        this.client = client;
        this.owner = owner;
        this.acceptedNanos = System.nanoTime();
    }

    /** Serves the connection to its end; never throws. */
    void serve() {
        boolean relaying = false;
        try {
            relaying = handle();
        } catch (IOException | RuntimeException gone) {
            // The client or the origin went away, or close() broke a blocking call: nothing left to answer.
        } finally {
            if (!relaying) {
                close();
            }
        }
    }

    /** True once both copy directions run (and will close the connection when they end). */
    private boolean handle() throws IOException {
        RequestHead head;
        RequestHead.Target target;
        try {
            head = RequestHead.read(client, acceptedNanos + HEAD_TIMEOUT.toNanos());
        } catch (RequestHead.Malformed malformed) {
            answer(400, "Bad Request", malformed.getMessage());
            return false;
        } catch (EOFException left) {
            return false;
        }
        EgressProxy.Pass presented = owner.authenticate(head.values("Proxy-Authorization"));
        pass = presented; // before attaching: a pass closed meanwhile closes this, which must detach from it
        if (presented == null || !presented.attach(this)) {
            answer(407, "Proxy Authentication Required", "A valid proxy credential is required");
            return false;
        }
        long bodyLength;
        try {
            target = head.target();
            bodyLength = head.isConnect() ? 0 : head.bodyLength();
        } catch (RequestHead.Malformed malformed) {
            answer(400, "Bad Request", malformed.getMessage());
            return false;
        }
        List<InetSocketAddress> addresses;
        try {
            addresses = owner.policy().checkHost(target.host(), target.port());
        } catch (AddressRefused refused) {
            if (refused.errorType().equals(AddressRefused.PRIVATE_ADDRESS)) {
                presented.refused(refused.getMessage());
                answer(403, "Forbidden", refused.getMessage());
            } else {
                answer(502, "Bad Gateway", refused.getMessage());
            }
            return false;
        }
        if (!connect(addresses, target)) {
            return false;
        }
        OutputStream toOrigin = origin.getOutputStream();
        if (head.isConnect()) {
            client.getOutputStream().write("HTTP/1.1 200 Connection established\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        } else {
            toOrigin.write(head.forOrigin(target));
        }
        client.setSoTimeout(0); // from here idleness is the proxy's sweep's business (idleSince)
        lastActivityNanos = System.nanoTime();
        byte[] leftover = head.leftover();
        boolean tunnel = head.isConnect();
        try {
            owner.pipes().execute(() -> copyOriginToClient(tunnel));
        } catch (RejectedExecutionException closing) {
            return false;
        }
        if (tunnel) {
            toOrigin.write(leftover);
            if (!copyClientToOrigin(Long.MAX_VALUE)) {
                origin.shutdownOutput(); // pass the client's end on; the other way may still carry bytes
                directionEnded();
            }
        } else {
            relayBody(leftover, bodyLength);
        }
        return true;
    }

    /** Connects to the first of the checked addresses that answers; false (and answered) when none does. */
    private boolean connect(List<InetSocketAddress> addresses, RequestHead.Target target) throws IOException {
        Duration timeout = owner.limits().connectTimeout();
        IOException last = null;
        for (InetSocketAddress address : addresses) {
            Socket socket = new Socket();
            origin = socket; // before connecting, so that close() can abort the attempt
            if (closed.get()) {
                socket.close();
                return false;
            }
            try {
                socket.connect(address, (int) timeout.toMillis());
                socket.setTcpNoDelay(true);
                return true;
            } catch (IOException failed) {
                socket.close();
                last = failed;
            }
        }
        String where = target.host() + ":" + target.port();
        if (last instanceof SocketTimeoutException) {
            answer(504, "Gateway Timeout", "Could not connect to " + where + " within " + timeout.toMillis() + " ms");
        } else {
            answer(502, "Bad Gateway", "Could not connect to " + where
                    + (last == null || last.getMessage() == null ? "" : ": " + last.getMessage()));
        }
        return false;
    }

    /**
     * Relays exactly one request body, then watches the client until the connection ends: a byte more would be
     * a second request, which might name another host, so it ends the connection instead of reaching the
     * origin; the client's end of stream ends it too (HTTP clients do not half-close while they wait for an
     * answer, and an origin that keeps the connection open must not keep the slot until the idle timeout).
     */
    private void relayBody(byte[] leftover, long bodyLength) throws IOException {
        int first = (int) Math.min(leftover.length, bodyLength);
        origin.getOutputStream().write(leftover, 0, first);
        if (leftover.length == first && copyClientToOrigin(bodyLength - first)) {
            client.getInputStream().read(); // blocks until a byte more, the client's end, or close()
        }
        close(); // also for a body cut short: the origin would wait for the rest
    }

    /** Copies {@code limit} bytes, or fewer when the client's stream ends first; false in that case. */
    private boolean copyClientToOrigin(long limit) throws IOException {
        InputStream in = client.getInputStream();
        OutputStream out = origin.getOutputStream();
        byte[] buffer = new byte[BUFFER];
        for (long left = limit; left > 0; ) {
            int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (read < 0) {
                return false;
            }
            out.write(buffer, 0, read);
            left -= read;
            lastActivityNanos = System.nanoTime();
        }
        return true;
    }

    /**
     * The origin's bytes to the client. A relayed request is over when the origin's stream ends (it was told
     * {@code Connection: close}); a tunnel passes the end on and lets the other direction finish.
     */
    private void copyOriginToClient(boolean tunnel) {
        try {
            InputStream in = origin.getInputStream();
            OutputStream out = client.getOutputStream();
            byte[] buffer = new byte[BUFFER];
            for (int read; (read = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, read);
                lastActivityNanos = System.nanoTime();
            }
            if (tunnel) {
                client.shutdownOutput();
                directionEnded();
            } else {
                close();
            }
        } catch (IOException | RuntimeException gone) {
            close();
        }
    }

    private void directionEnded() {
        if (directions.decrementAndGet() == 0) {
            close();
        }
    }

    /**
     * Answers with a short text and ends the connection. What the client sent and nobody read is read and
     * dropped first (a little, briefly): closing a socket with unread input resets it, and the client might
     * lose the answer.
     */
    private void answer(int status, String reason, String text) {
        byte[] body = (text + "\n").getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 " + status + " " + reason + "\r\n"
                + (status == 407 ? "Proxy-Authenticate: Basic realm=\"hermes-egress\"\r\n" : "")
                + "Content-Type: text/plain; charset=utf-8\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n";
        try {
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            client.shutdownOutput();
            client.setSoTimeout(1000);
            InputStream in = client.getInputStream();
            byte[] sink = new byte[4096];
            for (int drained = 0, read; drained < DRAIN_LIMIT && (read = in.read(sink)) >= 0; drained += read) {
                // dropped
            }
        } catch (IOException gone) {
            // the client left or stalls: closing is all that is left
        }
    }

    /**
     * When bytes last moved while relaying, or {@code 0} while the request is still being read and checked
     * (those phases have their own timeouts).
     */
    long idleSince() {
        return lastActivityNanos;
    }

    /** Ends both sides now and tells the proxy and the pass; idempotent, from any thread. */
    void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closeQuietly(client);
        Socket joined = origin;
        if (joined != null) {
            closeQuietly(joined);
        }
        EgressProxy.Pass holder = pass;
        if (holder != null) {
            holder.detach(this);
        }
        owner.ended(this);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is all we wanted
        }
    }
}
