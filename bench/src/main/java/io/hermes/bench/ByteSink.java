package io.hermes.bench;

/** Receives a slice of bytes; the slice is only valid during the call. */
@FunctionalInterface
interface ByteSink {
    void accept(byte[] bytes, int offset, int length);
}
