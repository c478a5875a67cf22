package io.hermes.realtime.stream;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The container's output stream of one event stream, for every stream unit test. It records what was
 * written, how many writes and flushes there were and the write listener, and the test decides when the
 * socket is ready. As a container in non-blocking mode does, it refuses writes and flushes while not ready,
 * and it can keep the array of a write it cannot finish and send it later, as it is by then (Jetty does).
 */
final class FakeServletOutput extends ServletOutputStream {
    private final ByteArrayOutputStream wire = new ByteArrayOutputStream();
    private boolean ready = true;
    private WriteListener listener;
    private int writes;
    private int flushes;
    private byte[] stallAfter;
    private IOException failure;
    private boolean holdNextWrite;
    private byte[] held;
    private int heldOffset;
    private int heldLength;

    @Override
    public void write(byte[] bytes, int offset, int length) throws IOException {
        if (!ready) {
            throw new IllegalStateException("write while not ready");
        }
        writes++;
        if (failure != null) {
            throw failure;
        }
        if (holdNextWrite) {
            holdNextWrite = false;
            ready = false;
            held = bytes;
            heldOffset = offset;
            heldLength = length;
            return;
        }
        wire.write(bytes, offset, length);
        if (stallAfter != null && Arrays.equals(bytes, offset, offset + length, stallAfter, 0, stallAfter.length)) {
            ready = false;
        }
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void flush() {
        if (!ready) {
            throw new IllegalStateException("flush while not ready");
        }
        flushes++;
    }

    @Override
    public boolean isReady() {
        return ready;
    }

    @Override
    public void setWriteListener(WriteListener listener) {
        this.listener = listener;
    }

    // What the test controls.

    /** The socket takes writes, or its buffer is full. */
    void setReady(boolean ready) {
        this.ready = ready;
    }

    /** From now on the socket reports not ready right after a write of exactly these bytes, as a full buffer would. */
    void stallAfter(byte[] bytes) {
        this.stallAfter = bytes;
    }

    /** Every write from now on fails with {@code failure}, as a reset connection does. */
    void failWrites(IOException failure) {
        this.failure = failure;
    }

    /** The next write does not finish: its array is kept, unread, and the socket not ready until {@link #release}. */
    void holdNextWrite() {
        this.holdNextWrite = true;
    }

    /** The socket took the held write: its bytes as they are now in the writer's array. */
    void release() {
        wire.write(held, heldOffset, heldLength);
        held = null;
        ready = true;
    }

    /** Whether a write is held, unfinished. */
    boolean holding() {
        return held != null;
    }

    /** As the container does once the socket takes writes: ready again, and the listener's onWritePossible. */
    void writePossible() {
        if (listener == null) {
            throw new IllegalStateException("no write listener was set");
        }
        ready = true;
        try {
            listener.onWritePossible();
        } catch (IOException failed) {
            throw new UncheckedIOException(failed);
        }
    }

    // What the test reads.

    String written() {
        return wire.toString(StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        return wire.toByteArray();
    }

    int writes() {
        return writes;
    }

    int flushes() {
        return flushes;
    }

    WriteListener listener() {
        return listener;
    }
}
