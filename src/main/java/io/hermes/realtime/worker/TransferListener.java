package io.hermes.realtime.worker;

/**
 * What a running transfer reports, always on the thread that called {@link HttpTransfer#run}, so an
 * implementation may publish events without locking. It must return quickly: the body is not read meanwhile.
 */
interface TransferListener {
    /**
     * The response was accepted and its body is about to be read.
     *
     * @param fileName the safe name chosen for the file; the file may still end up as {@code name (1).ext}
     *                 when that name is taken by then (see {@link TransferResult#fileName()})
     * @param totalBytes the announced length, or -1 when the server did not send one
     */
    void onStart(String fileName, long totalBytes);

    /**
     * Bytes received so far: at most every 100 ms, and once at the end, when {@code downloadedBytes ==
     * totalBytes} (the length is known by then even if it was not announced).
     *
     * @param totalBytes the announced length, or -1 when unknown
     */
    void onProgress(long downloadedBytes, long totalBytes);

    /**
     * Asked once the response is accepted, before {@link #onStart}: true stops the transfer with a
     * {@link HandOverException}, because the body is a page or a manifest for yt-dlp, not the file itself.
     *
     * @param contentType the response's {@code Content-Type}, {@code application/octet-stream} when absent
     * @param path        the path of the URL that answered (after redirects)
     */
    default boolean handsOver(String contentType, String path) {
        return false;
    }

    /** A listener that ignores everything. */
    TransferListener NONE = new TransferListener() {
        @Override
        public void onStart(String fileName, long totalBytes) {
        }

        @Override
        public void onProgress(long downloadedBytes, long totalBytes) {
        }
    };
}
