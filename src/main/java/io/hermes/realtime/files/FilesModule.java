package io.hermes.realtime.files;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.downloads.DownloadStore;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import java.nio.file.Path;

/**
 * Builds the files feature: {@code GET /files/download?path=} (a file's bytes) and {@code GET|DELETE /files}
 * (list, delete), over the files that completed downloads left in the download directory.
 */
public final class FilesModule {
    private FilesModule() {
    }

    /**
     * @param store        the download records, which name each download's files
     * @param downloadDir  the download directory, which every path is relative to
     * @param scanLimit    completed downloads looked through per request, newest first
     * @param filesDeleted told after a request deleted files: the storage usage it changed is stale
     * @param removed      told when deleting a download's main file removed the download itself
     */
    public static void register(ServletRegistrar servlets, Json json, Authenticator authenticator, BodyReader bodies,
            DownloadStore store, Path downloadDir, int scanLimit, Runnable filesDeleted,
            java.util.function.Consumer<io.hermes.realtime.downloads.Download> removed) {
        DownloadDirectory directory = new DownloadDirectory(downloadDir);
        ManagedFiles files = new ManagedFiles(store, directory, json.mapper(), scanLimit, removed);
        servlets.add("files", new FilesServlet(json, bodies, authenticator, files, directory, filesDeleted), "/files");
        servlets.add("files-download", new FileDownloadServlet(json, authenticator, files), "/files/download");
    }
}
