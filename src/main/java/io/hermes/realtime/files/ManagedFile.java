package io.hermes.realtime.files;

import io.hermes.realtime.downloads.Download;
import java.nio.file.Path;
import java.time.Instant;

/**
 * One file that a completed download left in the download directory and that a caller may see.
 *
 * @param download the download's record (the fields {@code DownloadStore.forEachCompleted} reads)
 * @param stored   the path exactly as the record names it
 * @param key      the same path normalised: what clients send back ({@code ?path=}, {@code files})
 * @param real     the file's real path, inside the download directory's
 * @param size     its size in bytes, when it was found
 * @param modified its last change, when it was found
 */
record ManagedFile(Download download, String stored, String key, Path real, long size, Instant modified) {

    /** The file's own name: the key's last part. */
    String name() {
        return key.substring(key.lastIndexOf('/') + 1);
    }
}
