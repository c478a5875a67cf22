package io.hermes.realtime.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * Receives request bodies without holding a container thread, so that clients sending slowly cannot starve
 * everyone else: the request goes async and a {@link jakarta.servlet.ReadListener} collects the body, up to
 * a size limit and before a deadline; the handler runs once it is all there. At most a few bodies per
 * credential (or per address) may wait on the network at once. Built once by the composition root and
 * handed to the servlets that take bodies.
 */
public final class BodyReader {
    private static final System.Logger LOG = System.getLogger(BodyReader.class.getName());
    /** Each address may have this many times the per-source cap in flight, whatever credentials it presents. */
    static final int ADDRESS_FACTOR = 4;
    /** The request attribute holding the received bytes, which {@link RequestBody#read} parses. */
    static final String RECEIVED = BodyReader.class.getName() + ".received";
    /** Every refusal closes the connection: a body may still be on its way, and it will not be read. */
    private static final Map<String, String> CLOSE = Map.of("Connection", "close");

    private final int maxBytes;
    private final Duration deadline;
    private final InFlightBodies inFlight;

    /**
     * @param maxBytes      the largest body accepted (413 beyond, before reading when the length is declared)
     * @param deadline      how long after the request a body may take to arrive in full (408 after)
     * @param maxPerSource  bodies waiting for more bytes at once per credential, or per address without one
     *                      (429 beyond); each address may have {@value #ADDRESS_FACTOR} times as many in all
     */
    public BodyReader(int maxBytes, Duration deadline, int maxPerSource) {
        this.maxBytes = maxBytes;
        this.deadline = deadline;
        this.inFlight = new InFlightBodies(maxPerSource, maxPerSource * ADDRESS_FACTOR);
    }

    /** Whether the request says a body follows: a positive length, or a transfer coding (chunked). */
    static boolean carriesBody(HttpServletRequest request) {
        return request.getContentLengthLong() > 0 || request.getHeader("Transfer-Encoding") != null;
    }

    /**
     * Receives the body of {@code request} and then tells {@code outcome} once: received, or refused (too large,
     * too many waiting, too slow, malformed). Returns at once; the rest happens on the container's callbacks.
     */
    void receive(HttpServletRequest request, HttpServletResponse response, BodyOutcome outcome) throws IOException {
        long declared = request.getContentLengthLong();
        if (declared > maxBytes) {
            answerUnread(request, response, () -> outcome.refused(tooLarge()));
            return;
        }
        AsyncContext async = request.startAsync();
        new BodyReception(this, async, request, response, outcome, (int) Math.min(Math.max(declared, 0), 8192))
                .start(deadline.toMillis());
    }

    /**
     * A place for one more body from the sender of {@code request} that must wait for the rest of its bytes,
     * or {@code null} when its credential or address already has as many waiting as allowed.
     */
    InFlightBodies.Slot waiting(HttpServletRequest request) {
        InFlightBodies.Slot slot = inFlight.tryAcquire(source(request), request.getRemoteAddr());
        if (slot == null) {
            LOG.log(Level.DEBUG, "Refusing the body of {0} {1} from {2}: too many waiting", request.getMethod(),
                    request.getRequestURI(), request.getRemoteAddr());
        }
        return slot;
    }

    /**
     * Answers at once without reading the body that follows, then closes the connection. The answer goes out
     * through an async context: a request finished on the container's own thread would have Tomcat read
     * (swallow) the rest of the body on that thread first, waiting on the slowest of clients.
     */
    static void answerUnread(HttpServletRequest request, HttpServletResponse response, Answer answer)
            throws IOException {
        response.setHeader("Connection", "close");
        if (!request.isAsyncSupported()) {
            answer.give();
            return;
        }
        AsyncContext async = request.startAsync();
        try {
            answer.give();
            response.flushBuffer();
        } finally {
            async.complete();
        }
    }

    int maxBytes() {
        return maxBytes;
    }

    ApiException tooLarge() {
        return new ApiException(413, "Request body exceeds " + maxBytes + " bytes", CLOSE);
    }

    static ApiException tooMany() {
        return new ApiException(429, "Too many request bodies in flight from this key or address; retry shortly",
                Map.of("Retry-After", "1", "Connection", "close"));
    }

    ApiException tooSlow() {
        return new ApiException(408, "Request body not received within " + deadline.toSeconds() + " s", CLOSE);
    }

    static ApiException unexpected(String method) {
        return new ApiException(400, method + " requests take no body", CLOSE);
    }

    static ApiException malformed() {
        return new ApiException(400, "Malformed request body", CLOSE);
    }

    /**
     * Who is sending: a hash of the credential presented (Bearer header, else {@code ?token=}), else the
     * address. The credential need not be valid; the address cap bounds what made-up ones can take.
     */
    static String source(HttpServletRequest request) {
        String credential = request.getHeader("Authorization");
        if (credential == null) {
            credential = queryToken(request.getQueryString());
        }
        if (credential == null) {
            return "address " + request.getRemoteAddr();
        }
        byte[] hash = Sha256.digest(credential.getBytes(StandardCharsets.UTF_8));
        return "credential " + HexFormat.of().formatHex(hash, 0, 16);
    }

    /**
     * The raw {@code token} of a query string. Read by hand: {@code getParameter} may read a form body,
     * which is exactly what must not happen before the body is received.
     */
    static String queryToken(String query) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            if (pair.startsWith("token=")) {
                return pair.substring("token=".length());
            }
        }
        return null;
    }

    /** One answer given on the request's own thread. */
    @FunctionalInterface
    interface Answer {
        void give() throws IOException;
    }
}
