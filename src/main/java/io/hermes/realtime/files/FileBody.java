package io.hermes.realtime.files;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Writes bytes of an open file as a response body without holding a container thread while the client
 * reads: the request goes async and the container calls {@link #onWritePossible} whenever the socket takes
 * more. Each call copies 64 KiB pieces (read from the file at their position, a fast local read) until the
 * socket is not ready or the part is sent, so no file is ever held in memory and a slow client costs a
 * buffer and an open file, not a thread.
 *
 * <p>A client that stops reading is ended by the container's idle timeout (Jetty's {@code idleTimeout},
 * Tomcat's {@code connectionTimeout}), which fails the pending write; the async context itself has no
 * timeout, as a large file to a slow but steady client may take hours. Every ending (all sent, a failed
 * write, the client gone, the servlet destroyed on undeploy) goes through {@link #end}, once: it closes the
 * file, completes the response, and leaves the set of bodies in flight it joined.
 */
final class FileBody implements WriteListener, AsyncListener {
    private static final System.Logger LOG = System.getLogger(FileBody.class.getName());
    private static final int PIECE = 64 * 1024;

    private final FileChannel file;
    private final Set<FileBody> inFlight;
    private final AsyncContext async;
    private final ServletOutputStream out;
    private final byte[] piece;
    private final AtomicBoolean ended = new AtomicBoolean();
    // Touched by onWritePossible alone, which the container never runs twice at once.
    private long position;
    private long remaining;

    private FileBody(FileChannel file, Set<FileBody> inFlight, AsyncContext async, ServletOutputStream out,
            long first, long length) {
        this.file = file;
        this.inFlight = inFlight;
        this.async = async;
        this.out = out;
        this.position = first;
        this.remaining = length;
        this.piece = new byte[(int) Math.min(PIECE, length)];
    }

    /**
     * Sends {@code length} bytes of {@code file} from {@code first} as the body of {@code request}'s response,
     * whose status and headers are set, and closes the file once done. Returns at once.
     *
     * @param inFlight the bodies being sent, which this one is in until it ends
     */
    static void send(HttpServletRequest request, FileChannel file, long first, long length, Set<FileBody> inFlight)
            throws IOException {
        AsyncContext async = request.startAsync();
        async.setTimeout(0);
        FileBody body;
        try {
            body = new FileBody(file, inFlight, async, async.getResponse().getOutputStream(), first, length);
        } catch (IOException | RuntimeException failed) {
            file.close();
            async.complete();
            throw failed;
        }
        inFlight.add(body);
        try {
            async.addListener(body);
            body.out.setWriteListener(body); // the container calls onWritePossible once the socket is ready
        } catch (RuntimeException failed) {
            body.end();
            throw failed;
        }
    }

    @Override
    public void onWritePossible() throws IOException {
        while (out.isReady()) {
            if (remaining == 0) {
                end(); // the container has taken the last piece
                return;
            }
            ByteBuffer buffer = ByteBuffer.wrap(piece, 0, (int) Math.min(piece.length, remaining));
            int read = file.read(buffer, position);
            if (read <= 0) {
                // The file shrank under us: the promised Content-Length cannot be met, so the body must fail.
                throw new IOException("the file ended " + remaining + " bytes early");
            }
            out.write(piece, 0, read);
            position += read;
            remaining -= read;
        }
    }

    @Override
    public void onError(Throwable failure) {
        LOG.log(Level.DEBUG, "A file download ended early: {0}", failure.toString());
        end();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        end();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        end();
    }

    @Override
    public void onError(AsyncEvent event) {
        end();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    /**
     * Closes the file and completes the response, the first time it is called; from any thread. A body ended
     * before it was all sent leaves its response short of its {@code Content-Length}, so the container
     * closes the connection and the client knows the file is incomplete.
     */
    void end() {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        inFlight.remove(this);
        try {
            file.close();
        } catch (IOException ignored) {
            // opened read-only: nothing is lost
        }
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            // the container completed it first (it called onComplete)
        }
    }
}
