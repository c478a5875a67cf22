package io.hermes.realtime.storage;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ServletRegistrar;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.PolledView;
import java.nio.file.Path;
import java.time.Clock;

/** Builds the storage feature: the cached {@link StorageUsage} and {@code GET /storage}. */
public final class StorageModule {
    private StorageModule() {
    }

    /**
     * Creates the usage reader for the two directories (they are created if missing).
     *
     * @throws java.io.UncheckedIOException when a directory cannot be created; the message names it
     */
    public static StorageUsage usage(Path downloadDir, Path tempDir, Clock clock) {
        return new DiskUsage(downloadDir, tempDir, clock);
    }

    /** Registers {@code GET /storage} and returns its view, which stream snapshots may repeat. */
    public static PolledView register(ServletRegistrar servlets, Json json, Authenticator authenticator,
            StorageUsage usage) {
        PolledView view = StorageServlet.view(usage);
        servlets.add("storage", new StorageServlet(json, authenticator, view), "/storage");
        return view;
    }
}
