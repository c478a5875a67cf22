package io.hermes.realtime.storage;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.Json;
import io.hermes.realtime.http.ServletRegistrar;
import java.nio.file.Path;
import java.time.Clock;

/** Builds the storage feature: the cached {@link StorageUsage} and {@code GET /storage}. */
public final class StorageModule {
    private StorageModule() {
    }

    /** Creates the usage reader for the two directories (they are created if missing). */
    public static StorageUsage usage(Path downloadDir, Path tempDir, Clock clock) {
        throw new UnsupportedOperationException("not yet built");
    }

    public static void register(ServletRegistrar servlets, Json json, Authenticator authenticator, StorageUsage usage) {
        // GET /storage arrives with the storage feature
    }
}
