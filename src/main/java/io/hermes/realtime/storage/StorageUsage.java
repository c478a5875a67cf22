package io.hermes.realtime.storage;

/**
 * Disk usage of the download and temp directories. Sizes are cached briefly (walking a large tree on
 * every poll would be slow) and recomputed after {@link #invalidate()}, which the worker calls when a file
 * lands or is deleted.
 */
public interface StorageUsage {
    /**
     * The numbers of {@code GET /storage}, snake or camel case is the servlet's business.
     *
     * @throws java.io.UncheckedIOException when the file system cannot be read at all
     */
    StorageReport current();

    /**
     * The size of the download directory, {@link #current()}'s {@code downloadsSize}, without reading
     * the file system's space.
     *
     * @throws java.io.UncheckedIOException when the file system cannot be read at all
     */
    default long downloadsSize() {
        return current().downloadsSize();
    }

    /** Files changed: the next {@link #current()} recomputes directory sizes. */
    void invalidate();
}
