package io.hermes.bench;

import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Decodes a gzip body (RFC 1952) as its pieces arrive and passes on everything decodable so far, as a
 * browser does with a compressed event stream; {@link java.util.zip.GZIPInputStream} would block for more.
 * Reads the header with its optional fields, and checks the trailer's CRC-32 and length at the end.
 */
final class GzipDecoder implements ByteSink, AutoCloseable {
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private enum State { FIXED_HEADER, EXTRA_LENGTH, EXTRA, NAME, COMMENT, HEADER_CRC, DEFLATE, TRAILER, DONE }

    private final ByteSink out;
    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    private final byte[] scratch = new byte[16 * 1024];
    private final byte[] fixed = new byte[10];
    private final byte[] trailer = new byte[8];
    private State state = State.FIXED_HEADER;
    private int filled;
    private int flags;
    private int toSkip;
    private long decoded;

    GzipDecoder(ByteSink out) {
        this.out = out;
    }

    /** True once the trailer has been read and matched. */
    boolean isDone() {
        return state == State.DONE;
    }

    @Override
    public void accept(byte[] bytes, int offset, int length) {
        int i = offset;
        int end = offset + length;
        while (i < end && state != State.DONE) {
            switch (state) {
                case FIXED_HEADER -> {
                    fixed[filled++] = bytes[i++];
                    if (filled == fixed.length) {
                        if ((fixed[0] & 0xff) != 0x1f || (fixed[1] & 0xff) != 0x8b || fixed[2] != 8) {
                            throw new MalformedResponseException("not a gzip body");
                        }
                        flags = fixed[3] & 0xff;
                        filled = 0;
                        state = next(State.FIXED_HEADER);
                    }
                }
                case EXTRA_LENGTH -> {
                    toSkip |= (bytes[i++] & 0xff) << (8 * filled++);
                    if (filled == 2) {
                        filled = 0;
                        state = toSkip == 0 ? next(State.EXTRA) : State.EXTRA;
                    }
                }
                case EXTRA -> {
                    int n = Math.min(toSkip, end - i);
                    i += n;
                    toSkip -= n;
                    if (toSkip == 0) {
                        state = next(State.EXTRA);
                    }
                }
                case NAME, COMMENT -> {
                    if (bytes[i++] == 0) {
                        state = next(state);
                    }
                }
                case HEADER_CRC -> {
                    i++;
                    if (++filled == 2) {
                        filled = 0;
                        state = State.DEFLATE;
                    }
                }
                case DEFLATE -> i = inflate(bytes, i, end);
                case TRAILER -> {
                    trailer[filled++] = bytes[i++];
                    if (filled == trailer.length) {
                        if (littleEndian(0) != (int) crc.getValue() || littleEndian(4) != (int) decoded) {
                            throw new MalformedResponseException("gzip trailer does not match the data");
                        }
                        state = State.DONE;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** The part of the header that follows {@code done}, skipping those the flags say are absent. */
    private State next(State done) {
        switch (done) {
            case FIXED_HEADER:
                if ((flags & FEXTRA) != 0) {
                    return State.EXTRA_LENGTH;
                }
                // fall through: no extra field
            case EXTRA_LENGTH:
            case EXTRA:
                if ((flags & FNAME) != 0) {
                    return State.NAME;
                }
                // fall through: no name
            case NAME:
                if ((flags & FCOMMENT) != 0) {
                    return State.COMMENT;
                }
                // fall through: no comment
            case COMMENT:
                return (flags & FHCRC) != 0 ? State.HEADER_CRC : State.DEFLATE;
            default:
                throw new IllegalStateException(done.name());
        }
    }

    private int inflate(byte[] bytes, int from, int end) {
        inflater.setInput(bytes, from, end - from);
        try {
            int n;
            while ((n = inflater.inflate(scratch)) > 0) {
                crc.update(scratch, 0, n);
                decoded += n;
                out.accept(scratch, 0, n);
            }
        } catch (DataFormatException corrupt) {
            throw new MalformedResponseException("corrupt deflate data: " + corrupt.getMessage());
        }
        if (inflater.finished()) {
            state = State.TRAILER;
            filled = 0;
        }
        return end - inflater.getRemaining();
    }

    private int littleEndian(int at) {
        return (trailer[at] & 0xff) | (trailer[at + 1] & 0xff) << 8 | (trailer[at + 2] & 0xff) << 16
                | (trailer[at + 3] & 0xff) << 24;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
