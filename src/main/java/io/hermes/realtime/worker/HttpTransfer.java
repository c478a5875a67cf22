package io.hermes.realtime.worker;

import io.hermes.realtime.egress.AddressPolicy;
import io.hermes.realtime.egress.AddressRefused;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import javax.net.ssl.SSLException;

/**
 * Downloads one URL into a file: follows redirects itself so every hop passes the {@link AddressPolicy},
 * streams the body into {@code {tempDir}/{downloadId}.part} within the {@link TransferLimits}, then moves it
 * into the download directory under a name no other file has. On any failure or cancel the partial file is
 * deleted.
 *
 * <p>Threads: none of its own. {@link #run} works on the calling thread and never waits on the network for
 * more than {@link Deadlines#WAIT} at a time; between waits it checks the cancellation flag, the deadlines
 * and its interrupt status. (A watchdog thread closing a blocking {@code InputStream} was the alternative; it
 * cannot see interrupts, because JDK 17's response stream swallows them, and it is one more thread to own.)
 * The {@code HttpClient}'s threads belong to whoever built it. One instance serves any number of concurrent
 * transfers, as long as their download ids differ.
 */
final class HttpTransfer {
    static final Pattern DOWNLOAD_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");
    private static final Set<Integer> REDIRECTS = Set.of(301, 302, 303, 307, 308);
    private static final Duration PROGRESS_INTERVAL = Duration.ofMillis(100);
    private static final int BUFFER_BYTES = 64 * 1024;

    private final HttpClient client;
    private final AddressPolicy policy;
    private final TransferLimits limits;
    private final Clock clock;

    /**
     * @param client must not follow redirects ({@code Redirect.NEVER}): the client would follow them without
     *               asking the policy, so a public URL could redirect to {@code http://169.254.169.254/}.
     *               {@link #clientBuilder} returns a builder set up this way.
     * @param clock  measures timeouts, the progress interval and the elapsed time
     */
    HttpTransfer(HttpClient client, AddressPolicy policy, TransferLimits limits, Clock clock) {
        this.client = Objects.requireNonNull(client, "client");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (client.followRedirects() != HttpClient.Redirect.NEVER) {
            throw new IllegalArgumentException("The HttpClient must be built with Redirect.NEVER, so that every "
                    + "redirect passes the address policy");
        }
    }

    /**
     * A client builder that never follows redirects and gives up connecting after the limits' connect timeout.
     * Add an executor or a proxy if needed; the caller owns the client it builds and its threads.
     */
    static HttpClient.Builder clientBuilder(TransferLimits limits) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(limits.connectTimeout());
    }

    /**
     * Downloads {@code url}, blocking until the file is in place or the transfer ends otherwise. Creates
     * {@code tempDir} and {@code downloadDir} if missing; keep them on one file system so the final move is
     * atomic (otherwise it falls back to a copy, which a reader may see half-done).
     *
     * @param downloadId names the partial file; {@code [A-Za-z0-9_-]{1,64}}, unique among running transfers
     * @param listener   called on this thread
     * @param cancelled  polled on this thread every 50 ms or so; once it returns true the transfer stops
     *                   within about that long, even when the server has stalled mid-body
     * @throws TransferException          the transfer failed; see {@link TransferException#errorType()}
     * @throws TransferCancelledException {@code cancelled} turned true before the file was in place
     * @throws InterruptedException       this thread was interrupted; the transfer is abandoned and cleaned up
     */
    TransferResult run(URI url, String downloadId, Path tempDir, Path downloadDir, TransferListener listener,
            BooleanSupplier cancelled) throws TransferException, TransferCancelledException, InterruptedException {
        Objects.requireNonNull(url, "url");
        Objects.requireNonNull(listener, "listener");
        Objects.requireNonNull(cancelled, "cancelled");
        // The id becomes a file name; the same shape as elsewhere in Hermes, checked again because here a
        // slash would put the partial file outside tempDir.
        if (downloadId == null || !DOWNLOAD_ID.matcher(downloadId).matches()) {
            throw new IllegalArgumentException("malformed download id");
        }
        long started = clock.millis();
        Deadlines deadlines = new Deadlines(cancelled, clock, limits);
        deadlines.check(); // already cancelled: not even a request
        createDirectory(tempDir);
        createDirectory(downloadDir);
        Path part = tempDir.resolve(downloadId + ".part");
        boolean placed = false;
        try {
            HttpResponse<BodyQueue> response = openFollowingRedirects(url, deadlines);
            String fileName;
            String contentType;
            long bytes;
            try (BodyQueue body = response.body()) {
                long announced = response.headers().firstValueAsLong("Content-Length").orElse(-1);
                if (announced > limits.maxBytes()) {
                    throw TransferException.tooLarge(limits.maxBytes()); // refused before a byte is stored
                }
                fileName = SafeFileNames.choose(response.headers().firstValue("Content-Disposition").orElse(null),
                        response.uri());
                contentType = response.headers().firstValue("Content-Type").orElse("application/octet-stream");
                if (listener.handsOver(contentType, response.uri().getPath())) {
                    throw new HandOverException(contentType);
                }
                listener.onStart(fileName, announced);
                bytes = receive(body, response.uri(), part, announced, listener, deadlines);
            }
            // The last chance to cancel: once the file is in place, the download is complete.
            if (cancelled.getAsBoolean()) {
                throw new TransferCancelledException();
            }
            Path file = place(part, downloadDir, fileName);
            placed = true;
            return new TransferResult(file, file.getFileName().toString(), bytes, contentType,
                    Duration.ofMillis(clock.millis() - started));
        } finally {
            if (!placed) {
                deleteQuietly(part);
            }
        }
    }

    /** Sends requests until a 2xx response arrives, checking every URL against the policy first. */
    private HttpResponse<BodyQueue> openFollowingRedirects(URI url, Deadlines deadlines)
            throws TransferException, TransferCancelledException, InterruptedException {
        URI current = url;
        for (int redirects = 0; ; redirects++) {
            check(current); // on every hop: a public URL may redirect to a private one
            HttpResponse<BodyQueue> response = send(current, deadlines);
            int status = response.statusCode();
            if (status >= 200 && status < 300) {
                return response;
            }
            response.body().close(); // error and redirect bodies are never read
            String location = response.headers().firstValue("Location").orElse(null);
            if (!REDIRECTS.contains(status) || location == null) {
                throw TransferException.httpStatus(status, AddressPolicy.hostOf(current));
            }
            if (redirects >= limits.maxRedirects()) {
                throw TransferException.tooManyRedirects(limits.maxRedirects());
            }
            current = resolveLocation(current, location);
        }
    }

    /** The policy's refusal as a transfer failure of the same type and message. */
    private void check(URI uri) throws TransferException {
        try {
            policy.check(uri);
        } catch (AddressRefused refused) {
            throw new TransferException(refused.errorType(), refused.getMessage(), refused);
        }
    }

    /**
     * Waits for the response headers, a short wait at a time, so that a server which accepts the connection
     * and never answers is noticed by the idle timeout and a cancel is noticed at once.
     */
    private HttpResponse<BodyQueue> send(URI uri, Deadlines deadlines)
            throws TransferException, TransferCancelledException, InterruptedException {
        HttpRequest request;
        try {
            request = HttpRequest.newBuilder(uri).GET().build();
        } catch (IllegalArgumentException unusable) {
            throw new TransferException(TransferException.UNSUPPORTED_SCHEME, "Unusable URL: " + uri, unusable);
        }
        deadlines.activity();
        CompletableFuture<HttpResponse<BodyQueue>> pending = client.sendAsync(request, BodyQueue.HANDLER);
        boolean answered = false;
        try {
            while (true) {
                deadlines.check();
                try {
                    HttpResponse<BodyQueue> response = pending.get(Deadlines.WAIT.toMillis(), TimeUnit.MILLISECONDS);
                    answered = true;
                    return response;
                } catch (TimeoutException notYet) {
                    // check the flag and the deadlines again, then keep waiting
                }
            }
        } catch (ExecutionException failed) {
            answered = true;
            throw connectionFailure(uri, failed.getCause());
        } catch (CancellationException abandoned) {
            answered = true;
            throw new TransferException(TransferException.IO_ERROR, "The request was abandoned", abandoned);
        } finally {
            if (!answered) {
                pending.cancel(true);
                // Headers that arrive anyway must not hold the connection open.
                pending.thenAccept(late -> late.body().close());
            }
        }
    }

    /** Copies the body into {@code part}, counting bytes against the limit and reporting progress. */
    private long receive(BodyQueue body, URI source, Path part, long announced, TransferListener listener,
            Deadlines deadlines) throws TransferException, TransferCancelledException, InterruptedException {
        CountReports progress = new CountReports(listener, announced);
        long count = 0;
        try (OutputStream out = Files.newOutputStream(part)) {
            byte[] buffer = new byte[BUFFER_BYTES];
            while (true) {
                deadlines.check();
                int read = read(body, buffer, source, count);
                if (read < 0) {
                    break;
                }
                if (read == 0) {
                    continue; // nothing within one wait
                }
                deadlines.activity();
                count += read;
                if (count > limits.maxBytes()) {
                    throw TransferException.tooLarge(limits.maxBytes());
                }
                out.write(buffer, 0, read);
                progress.maybeReport(count);
            }
        } catch (IOException writing) {
            throw new TransferException(TransferException.IO_ERROR,
                    "Could not write the download to disk: " + writing.getMessage(), writing);
        }
        if (announced >= 0 && count != announced) {
            throw new TransferException(TransferException.IO_ERROR, "The connection to " + AddressPolicy.hostOf(source)
                    + " ended after " + count + " of " + announced + " bytes");
        }
        progress.finish(count);
        return count;
    }

    private static int read(BodyQueue body, byte[] buffer, URI source, long soFar)
            throws TransferException, InterruptedException {
        try {
            return body.read(buffer, Deadlines.WAIT);
        } catch (IOException failed) {
            throw new TransferException(TransferException.IO_ERROR, "The connection to " + AddressPolicy.hostOf(source)
                    + " was lost after " + TransferException.bytes(soFar) + ": " + failed.getMessage(), failed);
        }
    }

    /** Moves the finished file onto a freshly reserved name in the download directory. */
    static Path place(Path part, Path downloadDir, String fileName) throws TransferException {
        Path target;
        try {
            target = SafeFileNames.reserve(downloadDir, fileName);
        } catch (IOException reserving) {
            throw new TransferException(TransferException.IO_ERROR,
                    "Could not create " + fileName + " in the download directory: " + reserving.getMessage(), reserving);
        }
        try {
            try {
                // Replaces the empty file reserved a moment ago, never someone else's: CREATE_NEW made it ours.
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException otherFileStore) {
                Files.move(part, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException moving) {
            deleteQuietly(target);
            throw new TransferException(TransferException.IO_ERROR,
                    "Could not move the download into place: " + moving.getMessage(), moving);
        }
        return target;
    }

    private static URI resolveLocation(URI current, String location) throws TransferException {
        try {
            URI base = current;
            if (base.getRawPath() == null || base.getRawPath().isEmpty()) {
                // URI.resolve against "http://host" (no path) would glue "file" onto the host name.
                base = new URI(base.getScheme(), base.getRawAuthority(), "/", null, null);
            }
            String resolved = base.resolve(new URI(location.trim())).toString();
            int fragment = resolved.indexOf('#');
            return new URI(fragment < 0 ? resolved : resolved.substring(0, fragment));
        } catch (URISyntaxException | IllegalArgumentException invalid) {
            throw new TransferException(TransferException.HTTP_ERROR,
                    "Invalid redirect location from " + AddressPolicy.hostOf(current), invalid);
        }
    }

    /** Names what went wrong before the response headers arrived. */
    private TransferException connectionFailure(URI uri, Throwable failure) {
        String host = AddressPolicy.hostOf(uri);
        String hostAndPort = host + ":" + port(uri);
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof UnresolvedAddressException || cause instanceof UnknownHostException) {
                return new TransferException(TransferException.DNS_FAILURE, "Could not resolve host " + host, failure);
            }
            if (cause instanceof HttpConnectTimeoutException) {
                return TransferException.connectTimeout(hostAndPort, client.connectTimeout().orElse(null), failure);
            }
            if (cause instanceof HttpTimeoutException) {
                return new TransferException(TransferException.TIMEOUT, "No response from " + hostAndPort, failure);
            }
            if (cause instanceof NoRouteToHostException) {
                return new TransferException(TransferException.IO_ERROR, "No route to " + hostAndPort, failure);
            }
            if (cause instanceof SSLException) {
                return new TransferException(TransferException.IO_ERROR,
                        "Secure connection to " + hostAndPort + " failed: " + cause.getMessage(), failure);
            }
        }
        // Checked last: the client wraps DNS failures in a ConnectException too.
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ConnectException) {
                return new TransferException(TransferException.CONNECTION_REFUSED,
                        "Connection refused by " + hostAndPort, failure);
            }
        }
        String detail = failure == null || failure.getMessage() == null ? "" : ": " + failure.getMessage();
        return new TransferException(TransferException.IO_ERROR, "Connection to " + hostAndPort + " failed" + detail,
                failure);
    }

    private static int port(URI uri) {
        if (uri.getPort() >= 0) {
            return uri.getPort();
        }
        return "https".equals(uri.getScheme().toLowerCase(Locale.ROOT)) ? 443 : 80;
    }

    private static void createDirectory(Path dir) throws TransferException {
        try {
            Files.createDirectories(dir);
        } catch (IOException failed) {
            throw new TransferException(TransferException.IO_ERROR,
                    "Could not create the directory " + dir + ": " + failed.getMessage(), failed);
        }
    }

    private static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        } catch (IOException ignored) {
            // best effort: a leftover .part is overwritten by the next attempt with the same id
        }
    }

    /**
     * The transfer's pace, the first of a progress step's three ({@link io.hermes.realtime.downloads.ProgressSteps}
     * names all three): the byte count goes to the listener at most every {@link #PROGRESS_INTERVAL}, and the
     * final count exactly once.
     */
    private final class CountReports {
        private final TransferListener listener;
        private final long total;
        private long lastReportAt;
        private long lastReported = -1;

        CountReports(TransferListener listener, long total) {
            this.listener = listener;
            this.total = total;
            this.lastReportAt = clock.millis();
        }

        void maybeReport(long downloaded) {
            long now = clock.millis();
            if (now - lastReportAt >= PROGRESS_INTERVAL.toMillis()) {
                lastReportAt = now;
                report(downloaded, total);
            }
        }

        /** The end: the total is known now even if it was not announced. Not repeated if already reported. */
        void finish(long downloaded) {
            if (lastReported != downloaded || total != downloaded) {
                report(downloaded, downloaded);
            }
        }

        private void report(long downloaded, long totalBytes) {
            lastReported = downloaded;
            listener.onProgress(downloaded, totalBytes);
        }
    }
}
