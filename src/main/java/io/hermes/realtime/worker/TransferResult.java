package io.hermes.realtime.worker;

import java.nio.file.Path;
import java.time.Duration;

/**
 * A finished transfer: the complete file, already in the download directory under a name no other download
 * had.
 *
 * @param file        the final path, inside the download directory
 * @param fileName    its name, {@code file.getFileName()} as a string
 * @param bytes       the body's length in bytes
 * @param contentType the response's {@code Content-Type}, or {@code application/octet-stream} when absent
 * @param elapsed     from the first request to the file being in place, redirects included
 */
record TransferResult(Path file, String fileName, long bytes, String contentType, Duration elapsed) {
}
