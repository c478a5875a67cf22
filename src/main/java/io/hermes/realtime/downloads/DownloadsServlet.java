package io.hermes.realtime.downloads;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.PathSegments;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import io.hermes.realtime.storage.StorageUsage;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /download} and {@code /download/{id}[/cancel]}: submit, read, cancel and delete one download.
 * Another owner's download answers 404, exactly like a missing one.
 */
final class DownloadsServlet extends ApiServlet {
    private static final System.Logger LOG = System.getLogger(DownloadsServlet.class.getName());
    private static final Set<Status> CANCELLABLE = Set.of(Status.QUEUED, Status.DOWNLOADING, Status.PROCESSING);

    private final transient DownloadStore store;
    private final transient DownloadEvents events;
    private final transient Authenticator authenticator;
    private final transient StorageUsage storage;
    private final transient Clock clock;
    private final transient UrlRefusal urlRefusal;
    private final Path downloadDir;
    private final int maxMetadataBytes;

    DownloadsServlet(Json json, DownloadStore store, DownloadEvents events, Authenticator authenticator,
            StorageUsage storage, Clock clock, UrlRefusal urlRefusal, Path downloadDir, BodyReader bodies,
            int maxMetadataBytes) {
        super(json, bodies);
        this.store = store;
        this.events = events;
        this.authenticator = authenticator;
        this.storage = storage;
        this.clock = clock;
        this.urlRefusal = urlRefusal;
        this.downloadDir = downloadDir.toAbsolutePath().normalize();
        this.maxMetadataBytes = maxMetadataBytes;
    }

    /** The parts of the path after {@code /download}: none, {@code {id}}, or {@code {id}/cancel}. */
    private record Target(String id, boolean cancel) {
        static Target of(HttpServletRequest request) {
            List<String> parts = PathSegments.of(request);
            if (parts.isEmpty()) {
                return new Target(null, false);
            }
            if (parts.size() == 1) {
                return new Target(parts.get(0), false);
            }
            if (parts.size() == 2 && parts.get(1).equals("cancel")) {
                return new Target(parts.get(0), true);
            }
            throw ApiException.notFound("Not Found");
        }

        /** The 405 for a method this resource does not answer, with the methods it does. */
        ApiException methodNotAllowed() {
            return ApiException.methodNotAllowed(id == null || cancel ? "POST, OPTIONS" : "GET, HEAD, DELETE, OPTIONS");
        }
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Target target = Target.of(request);
        if (target.id() == null) {
            submit(request, response);
        } else if (target.cancel()) {
            cancel(request, response, target.id());
        } else {
            throw target.methodNotAllowed();
        }
    }

    private void submit(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "write");
        NewDownload spec = Submissions.single(RequestBody.read(json, request), maxMetadataBytes, urlRefusal);
        Download download = store.create(spec, caller.owner());
        events.added(download);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("downloadId", download.id());
        body.put("status", "queued");
        body.put("message", "Download queued successfully");
        body.put("estimatedCompletion", null);
        respond(response, 200, body);
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        Target target = Target.of(request);
        if (target.id() == null || target.cancel()) {
            throw target.methodNotAllowed();
        }
        respondPolled(request, response, visible(target.id(), caller).statusView(json.mapper()));
    }

    private void cancel(HttpServletRequest request, HttpServletResponse response, String id) throws IOException {
        Caller caller = authenticator.authenticate(request, "write");
        visible(id, caller);
        DownloadStore.Transition change = store.transition(id, Status.CANCELLED, CANCELLABLE, Map.of(
                "message", "Cancelled by user", "completed_at", Timestamps.format(clock.instant())));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("downloadId", id);
        if (change.applied()) {
            store.find(id).ifPresent(events::statusChanged);
            body.put("cancelled", true);
            body.put("message", "Download cancelled");
        } else if (change.outcome() == DownloadStore.Outcome.MISSING) {
            throw ApiException.notFound("Download not found");
        } else {
            body.put("cancelled", false);
            body.put("message", "Cannot cancel " + change.previous().wire() + " download");
        }
        respond(response, 200, body);
    }

    @Override
    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "delete"); // write allows it too
        Target target = Target.of(request);
        if (target.id() == null || target.cancel()) {
            throw target.methodNotAllowed();
        }
        Download download = visible(target.id(), caller);
        boolean deleteFile = QueryParams.bool(request, "delete_file", false);
        store.delete(download.id()).orElseThrow(() -> ApiException.notFound("Download not found"));
        boolean fileDeleted = false;
        if (deleteFile) {
            for (String stored : download.files(json.mapper())) { // the video, and its subtitles and thumbnail
                fileDeleted |= deleteInsideDownloadDir(stored);
            }
        }
        events.removed(download);
        if (fileDeleted) {
            storage.invalidate();
            events.storageChanged(storage.current());
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("downloadId", download.id());
        body.put("deleted", true);
        body.put("fileDeleted", fileDeleted);
        body.put("message", "Download deleted");
        respond(response, 200, body);
    }

    /** Deletes a stored file, refusing any path that would leave the download directory. */
    private boolean deleteInsideDownloadDir(String relativePath) {
        Path file = downloadDir.resolve(relativePath).normalize();
        if (!file.startsWith(downloadDir) || file.equals(downloadDir)) {
            LOG.log(Level.WARNING, "Refusing to delete a file outside the download directory: {0}", relativePath);
            return false;
        }
        try {
            return Files.deleteIfExists(file);
        } catch (IOException failed) {
            LOG.log(Level.WARNING, "Could not delete {0}: {1}", file, failed.getMessage());
            return false;
        }
    }

    private Download visible(String id, Caller caller) {
        return store.find(id).filter(download -> caller.canSee(download.owner()))
                .orElseThrow(() -> ApiException.notFound("Download not found"));
    }
}
