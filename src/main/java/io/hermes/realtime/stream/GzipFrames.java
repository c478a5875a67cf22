package io.hermes.realtime.stream;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * The gzip body (RFC 1952) of one compressed stream: a header, one deflate stream fed frame by frame, a
 * sync flush after every batch so that whatever was written decodes at once on the client, and on a clean end
 * the last block and the trailer. Output collects in a buffer of its own that the writer hands to the
 * container in one write.
 *
 * <p>Not thread-safe: its stream's {@link FrameOutput.Gzip} uses it on the handshake thread until the stream
 * goes live, then under the {@link StreamWriter}'s monitor. The buffer is written again only after
 * {@code isReady()} said the container took the previous write, which matters because a container may write a
 * non-blocking write's array later, without copying it (Jetty does).
 *
 * <p>Memory: zlib's window and hash tables, about 256 KiB of native memory per deflater (window 32 KiB,
 * memLevel 8, which {@link Deflater} does not let us lower). {@link #end} frees them; every way a stream ends
 * calls it, and {@link CompressionSlots} counts the deflaters alive.
 */
final class GzipFrames {
    /** zlib's default: measured on 10 downloads' progress frames, level 9 saved 2 % more, level 1 cost 21 % more bytes. */
    private static final int LEVEL = 6;
    /** ID1 ID2, deflate, no flags, no modification time, no extra flags, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, Deflater.DEFLATED, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    private static final int INITIAL_BUFFER = 1024;
    /** Room kept free before each deflate call, so a call always makes progress. */
    private static final int HEADROOM = 64;
    /** A buffer grown past this (by a large snapshot) is dropped once written, not kept for the stream's life. */
    private static final int KEPT_BUFFER = 16 * 1024;

    private final Deflater deflater = new Deflater(LEVEL, true);
    private final CRC32 crc = new CRC32();
    private final CompressionSlots slots;
    private byte[] buffer = new byte[INITIAL_BUFFER];
    private int length;
    private boolean unflushed;
    private boolean ended;

    GzipFrames(CompressionSlots slots) {
        this.slots = slots;
        System.arraycopy(HEADER, 0, buffer, 0, HEADER.length);
        length = HEADER.length;
        unflushed = true; // the header alone is worth sending with the first flush
    }

    /** Compresses a frame; what the deflater releases joins the pending output. */
    void add(byte[] frame) {
        crc.update(frame);
        deflater.setInput(frame);
        while (!deflater.needsInput()) {
            makeRoom();
            length += deflater.deflate(buffer, length, buffer.length - length, Deflater.NO_FLUSH);
        }
        unflushed = true;
    }

    /** Whether frames were added since the last flush. */
    boolean unflushed() {
        return unflushed;
    }

    /** Ends the current block on a byte boundary, so the client can decode everything added so far. */
    void syncFlush() {
        int room;
        int written;
        do {
            makeRoom();
            room = buffer.length - length;
            written = deflater.deflate(buffer, length, room, Deflater.SYNC_FLUSH);
            length += written;
        } while (written == room); // a full buffer may hide more output
        unflushed = false;
    }

    /** The last block and the trailer (CRC-32 and length of everything added); nothing may be added after. */
    void finish() {
        deflater.finish();
        while (!deflater.finished()) {
            makeRoom();
            length += deflater.deflate(buffer, length, buffer.length - length);
        }
        makeRoom();
        littleEndian((int) crc.getValue());
        littleEndian((int) deflater.getBytesRead()); // ISIZE: the input's length modulo 2^32
        unflushed = false;
    }

    /** Bytes of output not yet written. */
    int pending() {
        return length;
    }

    /** Writes the pending output in one write and returns how many bytes that was. */
    int writeTo(OutputStream out) throws IOException {
        int written = length;
        out.write(buffer, 0, written);
        length = 0;
        if (buffer.length > KEPT_BUFFER) {
            buffer = new byte[INITIAL_BUFFER]; // the container may still hold the old one; it is never touched again
        }
        return written;
    }

    /** Frees the deflater's native memory and the slot. Idempotent; the compressor is unusable afterwards. */
    void end() {
        if (ended) {
            return;
        }
        ended = true;
        deflater.end();
        slots.release();
    }

    private void makeRoom() {
        if (buffer.length - length < HEADROOM) {
            byte[] larger = new byte[buffer.length * 2];
            System.arraycopy(buffer, 0, larger, 0, length);
            buffer = larger;
        }
    }

    private void littleEndian(int value) {
        for (int shift = 0; shift < 32; shift += 8) {
            buffer[length++] = (byte) (value >>> shift);
        }
    }
}
