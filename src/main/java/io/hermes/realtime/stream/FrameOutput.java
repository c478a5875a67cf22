package io.hermes.realtime.stream;

import jakarta.servlet.ServletOutputStream;
import java.io.IOException;

/**
 * Where a stream's frames go: the container's output as they are ({@link Plain}), or through the stream's
 * deflater ({@link Gzip}). The handshake chooses one when the stream opens, so the writer runs the same
 * loop for both and tests nothing about the encoding per frame.
 *
 * <p>The live methods say whether they handed bytes to the container: after such a write the writer asks
 * {@code isReady()} before writing again, as non-blocking output requires. Used by one thread at a time:
 * the handshake's until the stream goes live, then the writer's.
 */
sealed interface FrameOutput permits FrameOutput.Plain, FrameOutput.Gzip {

    /** The container's output stream, which the writer asks {@code isReady()}, flushes and listens to. */
    ServletOutputStream container();

    /** During the handshake: writes a frame, blocking. */
    void writeBlocking(byte[] frame) throws IOException;

    /** During the handshake: sends everything written so far, blocking. */
    void flushBlocking() throws IOException;

    /** Live: writes one frame, or keeps it for later; true when bytes went to the container. */
    boolean write(byte[] frame) throws IOException;

    /** Live, when the queue ran dry: hands over what was kept; true when bytes went to the container. */
    boolean endBatch() throws IOException;

    /** Live, on a clean end: writes what ends the body, if anything; true when bytes went to the container. */
    boolean finish() throws IOException;

    /** Frees what the output holds. Idempotent; nothing is written afterwards. */
    void release();

    /** Frames go to the container as they are: one write each, nothing held back, nothing to free. */
    final class Plain implements FrameOutput {
        private final ServletOutputStream out;

        Plain(ServletOutputStream out) {
            this.out = out;
        }

        @Override
        public ServletOutputStream container() {
            return out;
        }

        @Override
        public void writeBlocking(byte[] frame) throws IOException {
            out.write(frame);
        }

        @Override
        public void flushBlocking() throws IOException {
            out.flush();
        }

        @Override
        public boolean write(byte[] frame) throws IOException {
            out.write(frame);
            return true;
        }

        @Override
        public boolean endBatch() {
            return false;
        }

        @Override
        public boolean finish() {
            return false; // the body ends with the connection (Connection: close)
        }

        @Override
        public void release() {
            // nothing held
        }
    }

    /**
     * Frames go through the stream's {@link GzipFrames}, heartbeats and pings included. Its output is written
     * once {@code writeBytes} are pending, and at the end of each batch after a sync flush, so every event
     * decodes the moment it arrives; a clean end writes the gzip trailer. After a write, the writer adds
     * nothing until {@code isReady()} says the container took it, so a container that keeps the array of a
     * non-blocking write and sends it later (Jetty does) never sees that array change.
     */
    final class Gzip implements FrameOutput {
        private final ServletOutputStream out;
        private final GzipFrames gzip;
        private final int writeBytes;
        private final StreamMetrics metrics;

        /**
         * Owns {@code gzip} from now on, and ends it in {@link #release}. {@code writeBytes} is the container's
         * response buffer: a write of that much goes to the socket without waiting for the batch to end.
         */
        Gzip(ServletOutputStream out, GzipFrames gzip, int writeBytes, StreamMetrics metrics) {
            this.out = out;
            this.gzip = gzip;
            this.writeBytes = writeBytes;
            this.metrics = metrics;
        }

        @Override
        public ServletOutputStream container() {
            return out;
        }

        @Override
        public void writeBlocking(byte[] frame) throws IOException {
            write(frame);
        }

        @Override
        public void flushBlocking() throws IOException {
            gzip.syncFlush();
            writePending();
            out.flush();
        }

        @Override
        public boolean write(byte[] frame) throws IOException {
            gzip.add(frame);
            if (gzip.pending() < writeBytes) {
                return false;
            }
            writePending();
            return true;
        }

        @Override
        public boolean endBatch() throws IOException {
            if (!gzip.unflushed()) {
                return false;
            }
            gzip.syncFlush();
            writePending();
            return true;
        }

        @Override
        public boolean finish() throws IOException {
            gzip.finish(); // the client's decoder then sees a complete body, not a cut one
            writePending();
            return true;
        }

        @Override
        public void release() {
            gzip.end();
        }

        private void writePending() throws IOException {
            metrics.compressedWritten(gzip.writeTo(out));
        }
    }
}
