package io.hermes.realtime.egress;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An HTTP proxy on 127.0.0.1 through which a child process (yt-dlp) reaches the network, so that the
 * {@link AddressPolicy} holds for every page, manifest, segment and redirect it fetches, not only the URL a
 * user submitted. Each job {@link #open opens} a {@link Pass}, a credential it hands to the child in the proxy
 * URL; requests without a live one get 407, so no other local user can use the proxy as a relay. Threads and
 * limits: see the package documentation.
 */
public final class EgressProxy implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(EgressProxy.class.getName());
    private static final Base64.Encoder URL_SAFE = Base64.getUrlEncoder().withoutPadding();

    /**
     * The bounds the proxy keeps.
     *
     * @param maxConnections client connections served at once; one more is answered 503 and closed
     * @param connectTimeout longest wait for one address of the origin to accept the connection
     * @param idleTimeout    a relayed connection or tunnel that moves no byte either way for this long is closed
     */
    public record Limits(int maxConnections, Duration connectTimeout, Duration idleTimeout) {
        public Limits {
            if (maxConnections < 1) {
                throw new IllegalArgumentException("maxConnections must be at least 1: " + maxConnections);
            }
            if (connectTimeout.isNegative() || connectTimeout.isZero() || idleTimeout.isNegative()
                    || idleTimeout.isZero()) {
                throw new IllegalArgumentException("timeouts must be positive: " + connectTimeout + ", " + idleTimeout);
            }
        }
    }

    private final AddressPolicy policy;
    private final Limits limits;
    private final ThreadFactory threadFactory;
    private final ServerSocket server;
    private final ThreadPoolExecutor pool;
    private final Semaphore slots;
    private final Set<ProxyConnection> connections = ConcurrentHashMap.newKeySet();
    /** Live passes by user name. */
    private final Map<String, Pass> passes = new ConcurrentHashMap<>();
    /** Every thread made for the proxy that may still run; ended ones are dropped as new ones are made. */
    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final SecureRandom random = new SecureRandom();
    private final Thread acceptor;
    private volatile boolean closed;

    /** What a connection may use of the proxy. */
    private final ProxyConnection.Owner owner = new ProxyConnection.Owner() {
        @Override
        public Pass authenticate(List<String> proxyAuthorization) {
            return proxyAuthorization.size() == 1 ? passFor(proxyAuthorization.get(0)) : null;
        }

        @Override
        public AddressPolicy policy() {
            return policy;
        }

        @Override
        public Limits limits() {
            return limits;
        }

        @Override
        public Executor pipes() {
            return pool;
        }

        @Override
        public void ended(ProxyConnection connection) {
            if (connections.remove(connection)) {
                slots.release();
            }
        }
    };

    private EgressProxy(AddressPolicy policy, Limits limits, ThreadFactory threadFactory, ServerSocket server) {
        this.policy = policy;
        this.limits = limits;
        this.threadFactory = threadFactory;
        this.server = server;
        this.slots = new Semaphore(limits.maxConnections());
        // Two tasks per connection at most (one per direction): with that many threads no connection waits for
        // one. An idle thread takes a task first; a new one is started only when none is idle; idle threads end
        // after a while. At the maximum, a task waits in the queue: a connection's slot is freed when it
        // closes, a moment before its threads are back in the pool.
        int maxThreads = 2 * limits.maxConnections();
        HandOff queue = new HandOff();
        this.pool = new ThreadPoolExecutor(0, maxThreads, 30, TimeUnit.SECONDS, queue, this::newThread,
                (task, full) -> {
                    if (full.isShutdown()) {
                        throw new RejectedExecutionException("the egress proxy is closed");
                    }
                    queue.put(task);
                });
        this.acceptor = newThread(this::acceptLoop);
    }

    /**
     * The pool's queue: offering a task succeeds only when an idle thread takes it at once, so the pool starts
     * a thread instead of queueing while it is below its maximum (a plain queue would do the opposite).
     */
    private static final class HandOff extends LinkedTransferQueue<Runnable> {
        @Override
        public boolean offer(Runnable task) {
            return tryTransfer(task);
        }
    }

    /**
     * Listens on 127.0.0.1, on a port of the system's choosing, and starts accepting.
     *
     * @param threads makes the proxy's threads (name them {@code hermes-egress-…}); the proxy stops them and
     *                waits for them in {@link #close}
     * @throws IOException when no port can be had
     */
    public static EgressProxy start(AddressPolicy policy, Limits limits, ThreadFactory threads) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), 0), 128);
            // accept() wakes up this often to close idle connections, which may be stuck in a write.
            long sweepMillis = Math.max(50, Math.min(1000, limits.idleTimeout().toMillis() / 4));
            server.setSoTimeout((int) sweepMillis);
            EgressProxy proxy = new EgressProxy(Objects.requireNonNull(policy, "policy"), limits,
                    Objects.requireNonNull(threads, "threads"), server);
            proxy.acceptor.start();
            return proxy;
        } catch (IOException | RuntimeException failed) {
            server.close();
            throw failed;
        }
    }

    /** The port the proxy listens on, on 127.0.0.1. */
    public int port() {
        return server.getLocalPort();
    }

    /**
     * A new credential for one job, valid until it is closed.
     *
     * @throws IllegalStateException once the proxy is closed
     */
    public Pass open() {
        String user = token(12);
        Pass pass = new Pass(user, token(24));
        passes.put(user, pass);
        if (closed) {
            pass.close();
            throw new IllegalStateException("the egress proxy is closed");
        }
        return pass;
    }

    /** {@code bytes} random bytes as URL-safe base64, usable in a URL's user info as it stands. */
    private String token(int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return URL_SAFE.encodeToString(value);
    }

    /**
     * Stops accepting, closes every pass and every connection, and returns once every thread of the proxy
     * has ended (at most about 5 s later). Idempotent; never throws.
     */
    @Override
    public void close() {
        closed = true;
        try {
            server.close(); // breaks the acceptor's accept()
        } catch (IOException ignored) {
            // closed is all we wanted
        }
        try {
            acceptor.join(5000); // once it has ended no new connection can appear
            passes.values().forEach(Pass::close);
            connections.forEach(ProxyConnection::close);
            pool.shutdownNow();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            pool.awaitTermination(5, TimeUnit.SECONDS);
            for (Thread thread : threads) {
                long leftMillis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
                thread.join(leftMillis);
            }
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
        if (threads.stream().anyMatch(Thread::isAlive)) {
            LOG.log(Level.WARNING, "A thread of the egress proxy was still running 5 s after closing");
        }
    }

    private Thread newThread(Runnable task) {
        threads.removeIf(thread -> !thread.isAlive());
        Thread thread = threadFactory.newThread(task);
        threads.add(thread);
        return thread;
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (SocketTimeoutException sweepTime) {
                closeIdle();
                continue;
            } catch (IOException failed) {
                if (!closed) {
                    LOG.log(Level.WARNING, "The egress proxy stopped accepting: " + failed);
                }
                return;
            }
            if (!slots.tryAcquire()) {
                refuseBusy(client);
                continue;
            }
            ProxyConnection connection = new ProxyConnection(client, owner);
            connections.add(connection);
            try {
                client.setTcpNoDelay(true);
                pool.execute(connection::serve);
            } catch (IOException | RejectedExecutionException closing) {
                connection.close();
            }
            closeIdle();
        }
    }

    /** Closes every connection that relays and has moved no byte for the idle timeout. */
    private void closeIdle() {
        long now = System.nanoTime();
        long idleNanos = limits.idleTimeout().toNanos();
        for (ProxyConnection connection : connections) {
            long since = connection.idleSince();
            if (since != 0 && now - since > idleNanos) {
                connection.close();
            }
        }
    }

    /**
     * 503 for a connection beyond the limit, written on the accepting thread: a few bytes into a fresh
     * socket's buffer, which does not block. What the client already sent is skipped, as closing a socket with
     * unread input resets it; a request still on its way may reset it all the same. Either way it is refused.
     */
    private static void refuseBusy(Socket client) {
        byte[] body = "Too many connections through the egress proxy\n".getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 503 Service Unavailable\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n";
        try (client) {
            OutputStream out = client.getOutputStream();
            out.write(head.getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            client.shutdownOutput();
            client.getInputStream().skipNBytes(client.getInputStream().available());
        } catch (IOException gone) {
            // refused either way
        }
    }

    /** The live pass that {@code Basic base64(user:secret)} names, or null; the secret is compared in constant time. */
    private Pass passFor(String authorization) {
        if (!authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        String credentials;
        try {
            credentials = new String(Base64.getDecoder().decode(authorization.substring(6).strip()),
                    StandardCharsets.UTF_8);
        } catch (IllegalArgumentException notBase64) {
            return null;
        }
        int colon = credentials.indexOf(':');
        Pass pass = colon < 0 ? null : passes.get(credentials.substring(0, colon));
        if (pass == null) {
            return null;
        }
        byte[] given = credentials.substring(colon + 1).getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(given, pass.secret) ? pass : null;
    }

    /**
     * One job's credential: the proxy URL to give the child, and what the proxy refused for it. Closing it
     * revokes the credential and ends every connection still open with it; idempotent.
     */
    public final class Pass implements AutoCloseable {
        private final String user;
        private final byte[] secret;
        private final String proxyUrl;
        private final AtomicReference<String> refusal = new AtomicReference<>();
        private final Set<ProxyConnection> attached = ConcurrentHashMap.newKeySet();
        private volatile boolean closed;

        private Pass(String user, String secret) {
            this.user = user;
            this.secret = secret.getBytes(StandardCharsets.UTF_8);
            this.proxyUrl = "http://" + user + ":" + secret + "@127.0.0.1:" + port();
        }

        /** {@code http://USER:SECRET@127.0.0.1:PORT}, for {@code --proxy}; a secret: never log it. */
        public String proxyUrl() {
            return proxyUrl;
        }

        /**
         * Why the proxy first refused a request of this pass, as a user can read it ({@code Refused: 10.0.0.5
         * is a private address}); empty while nothing was refused. Only the policy's refusals of private
         * addresses count: a name that does not resolve answers 502 and is the child's to report.
         */
        public Optional<String> refusal() {
            return Optional.ofNullable(refusal.get());
        }

        @Override
        public void close() {
            closed = true;
            passes.remove(user, this);
            attached.forEach(ProxyConnection::close);
        }

        /** Ties a connection to this pass, so closing the pass ends it; false once the pass is closed. */
        boolean attach(ProxyConnection connection) {
            attached.add(connection);
            if (closed) { // closing may have looked at the set before the add: end it here instead
                attached.remove(connection);
                return false;
            }
            return true;
        }

        void detach(ProxyConnection connection) {
            attached.remove(connection);
        }

        void refused(String message) {
            refusal.compareAndSet(null, message);
        }

        @Override
        public String toString() {
            return "Pass[" + user + "]"; // never the secret
        }
    }
}
