package io.hermes.bench;

/**
 * Removes {@code Transfer-Encoding: chunked} framing from a body that arrives in arbitrary pieces.
 *
 * <p>A state machine rather than a line reader because a chunk boundary can fall anywhere in a read, and
 * because servers (Jetty among them) send a chunk's closing CRLF only together with the next chunk: the
 * data must be handed on as soon as it arrives, not when its CRLF does, or every event would look one
 * event late. Bare LF is accepted where CRLF is expected, as most clients do.
 */
final class ChunkedDecoder {
    /** Chunks larger than this are taken as a corrupt size line rather than allocated for. */
    private static final long MAX_CHUNK = 1L << 40;

    private enum State { SIZE, EXTENSION, SIZE_LF, DATA, DATA_CR, DATA_LF, TRAILER_START, TRAILER_LINE, TRAILER_LINE_LF,
        END_LF, DONE }

    private State state = State.SIZE;
    private long size;
    private boolean sawDigit;
    private long remaining;

    /**
     * Decodes {@code count} bytes, passing chunk data to {@code sink}. Returns how many bytes were consumed:
     * all of them unless the last chunk ended inside this slice.
     */
    int feed(byte[] bytes, int offset, int count, ByteSink sink) {
        int i = 0;
        while (i < count && state != State.DONE) {
            if (state == State.DATA) {
                int n = (int) Math.min(remaining, count - i);
                sink.accept(bytes, offset + i, n);
                i += n;
                remaining -= n;
                if (remaining == 0) {
                    state = State.DATA_CR;
                }
                continue;
            }
            step(bytes[offset + i++]);
        }
        return i;
    }

    /** True once the last (zero-size) chunk and its trailer section have been read. */
    boolean isDone() {
        return state == State.DONE;
    }

    private void step(byte b) {
        switch (state) {
            case SIZE -> {
                int digit = Character.digit(b, 16);
                if (digit >= 0) {
                    size = size * 16 + digit;
                    sawDigit = true;
                    if (size > MAX_CHUNK) {
                        throw new MalformedResponseException("chunk size too large");
                    }
                } else if (b == ';' || b == ' ' || b == '\t') {
                    state = State.EXTENSION; // extensions and whitespace before them carry nothing we need
                } else if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (b == '\n') {
                    endSizeLine();
                } else {
                    throw new MalformedResponseException("bad byte in chunk size: " + (b & 0xff));
                }
            }
            case EXTENSION -> {
                if (b == '\r') {
                    state = State.SIZE_LF;
                } else if (b == '\n') {
                    endSizeLine();
                }
            }
            case SIZE_LF -> {
                expect(b, '\n', "chunk size line");
                endSizeLine();
            }
            case DATA_CR -> {
                if (b == '\r') {
                    state = State.DATA_LF;
                } else {
                    expect(b, '\n', "chunk data");
                    nextChunk();
                }
            }
            case DATA_LF -> {
                expect(b, '\n', "chunk data");
                nextChunk();
            }
            case TRAILER_START -> {
                if (b == '\r') {
                    state = State.END_LF;
                } else if (b == '\n') {
                    state = State.DONE;
                } else {
                    state = State.TRAILER_LINE;
                }
            }
            case TRAILER_LINE -> {
                if (b == '\r') {
                    state = State.TRAILER_LINE_LF;
                } else if (b == '\n') {
                    state = State.TRAILER_START;
                }
            }
            case TRAILER_LINE_LF -> {
                expect(b, '\n', "trailer line");
                state = State.TRAILER_START;
            }
            case END_LF -> {
                expect(b, '\n', "last chunk");
                state = State.DONE;
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private void endSizeLine() {
        if (!sawDigit) {
            throw new MalformedResponseException("chunk size line without a size");
        }
        if (size == 0) {
            state = State.TRAILER_START;
        } else {
            remaining = size;
            state = State.DATA;
        }
    }

    private void nextChunk() {
        size = 0;
        sawDigit = false;
        state = State.SIZE;
    }

    private static void expect(byte actual, char wanted, String after) {
        if (actual != wanted) {
            throw new MalformedResponseException("expected LF after " + after + ", got byte " + (actual & 0xff));
        }
    }
}
