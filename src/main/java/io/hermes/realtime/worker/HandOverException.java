package io.hermes.realtime.worker;

/**
 * A plain HTTP transfer stopped before storing a byte because the URL answered with a page or a manifest
 * (see {@link TransferListener#handsOver}): the download goes to yt-dlp instead. Not a failure.
 */
final class HandOverException extends TransferException {
    HandOverException(String contentType) {
        super(TransferException.EXTRACTION_ERROR, "The URL answered " + contentType + ": a page for yt-dlp");
    }
}
