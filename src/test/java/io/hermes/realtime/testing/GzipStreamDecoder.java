package io.hermes.realtime.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a gzip body as its pieces arrive and hands on everything that can be decoded so far, as a
 * browser does with a compressed event stream; {@link java.util.zip.GZIPInputStream} would block for more.
 * Checks the header, and at the end the trailer's CRC-32 and length.
 */
public final class GzipStreamDecoder implements AutoCloseable {
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final ByteArrayOutputStream header = new ByteArrayOutputStream();
    private final ByteArrayOutputStream trailer = new ByteArrayOutputStream();
    private long decodedLength;
    private boolean complete;

    /** Decodes {@code bytes}; returns what they completed (possibly nothing). */
    public byte[] feed(byte[] bytes) throws IOException {
        int offset = 0;
        if (header.size() < 10) {
            int take = Math.min(10 - header.size(), bytes.length);
            header.write(bytes, 0, take);
            offset = take;
            if (header.size() < 10) {
                return new byte[0];
            }
            byte[] head = header.toByteArray();
            if ((head[0] & 0xff) != 0x1f || (head[1] & 0xff) != 0x8b || head[2] != 8) {
                throw new IOException("not a gzip body");
            }
            if (head[3] != 0) {
                throw new IOException("gzip header flags the server never sets: " + head[3]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (!inflater.finished() && offset < bytes.length) {
            inflater.setInput(bytes, offset, bytes.length - offset);
            byte[] buffer = new byte[8192];
            try {
                int n;
                while ((n = inflater.inflate(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            } catch (DataFormatException corrupt) {
                throw new IOException("corrupt deflate data", corrupt);
            }
            offset = bytes.length - inflater.getRemaining();
        }
        byte[] decoded = out.toByteArray();
        crc.update(decoded);
        decodedLength += decoded.length;
        if (inflater.finished() && offset < bytes.length) {
            trailer.write(bytes, offset, bytes.length - offset);
            if (trailer.size() >= 8) {
                byte[] tail = trailer.toByteArray();
                if (littleEndian(tail, 0) != (int) crc.getValue() || littleEndian(tail, 4) != (int) decodedLength) {
                    throw new IOException("gzip trailer does not match the data");
                }
                complete = true;
            }
        }
        return decoded;
    }

    /** Whether the body ended with a valid trailer. */
    public boolean isComplete() {
        return complete;
    }

    private static int littleEndian(byte[] bytes, int at) {
        return (bytes[at] & 0xff) | (bytes[at + 1] & 0xff) << 8 | (bytes[at + 2] & 0xff) << 16 | (bytes[at + 3] & 0xff) << 24;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
