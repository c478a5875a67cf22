package io.hermes.realtime.storage;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.PolledView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;

/**
 * {@code GET /storage}: disk space of the download directory's file system, the sizes of the download
 * and temp directories, and cleanup suggestions. Disk space is global, so every reader sees the same.
 */
final class StorageServlet extends ApiServlet {
    private static final System.Logger LOG = System.getLogger(StorageServlet.class.getName());

    private final transient Authenticator authenticator;
    private final transient PolledView view;

    StorageServlet(Json json, Authenticator authenticator, PolledView view) {
        super(json);
        this.authenticator = authenticator;
        this.view = view;
    }

    /**
     * The storage answer, which the stream snapshot {@code storage} repeats. It takes no parameters and has no
     * identity: disk space changes without a write to Redis, so this view is never answered from a version.
     */
    static PolledView view(StorageUsage usage) {
        return (owner, parameters) -> PolledView.Prepared.of(() -> {
            try {
                return usage.current();
            } catch (UncheckedIOException unreadable) {
                LOG.log(Level.WARNING, "Could not read disk usage: {0}", unreadable.getMessage());
                throw ApiException.unavailable("Storage information is temporarily unavailable");
            }
        });
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "read");
        respondPolled(request, response, view.prepare(null, request::getParameter).body().get());
    }
}
