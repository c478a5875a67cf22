package io.hermes.realtime.files;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.json.Timestamps;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * {@code GET /files}: the caller's downloaded files, newest download first, in upstream's shape
 * {@code {totalFiles, totalSize, files: [{filename, filepath, size, createdAt, modifiedAt, videoInfo}]}}.
 * {@code DELETE /files} {@code {files: [path], confirm: true}}: deletes those of the caller's files, answering
 * {@code {deletedFiles, totalFreedSpace, failedDeletions}}; a path that is not such a file is never touched
 * and fails as {@code "PATH (file not found)"}, whatever the reason.
 */
final class FilesServlet extends ApiServlet {
    private static final System.Logger LOG = System.getLogger(FilesServlet.class.getName());
    /** Upstream's bound on one deletion's list. */
    private static final int MAX_PATHS = 100;
    private static final Pattern ANY_PATH = Pattern.compile(".{1,4096}", Pattern.DOTALL);

    private final transient Authenticator authenticator;
    private final transient ManagedFiles files;
    private final transient DownloadDirectory directory;
    private final transient Runnable filesDeleted;

    /** @param filesDeleted told once per request that deleted any file (storage usage is stale) */
    FilesServlet(Json json, BodyReader bodies, Authenticator authenticator, ManagedFiles files,
            DownloadDirectory directory, Runnable filesDeleted) {
        super(json, bodies);
        this.authenticator = authenticator;
        this.files = files;
        this.directory = directory;
        this.filesDeleted = filesDeleted;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        FileFilter filter = FileFilter.of(request, directory);
        int limit = QueryParams.integer(request, "limit", 1, 100, 20);
        int offset = QueryParams.integer(request, "offset", 0, Integer.MAX_VALUE, 0);
        List<Map<String, Object>> page = new ArrayList<>();
        long[] totals = new long[2]; // files, bytes: of every match, not only the page's
        files.forEach(caller, file -> {
            if (filter.test(file)) {
                if (totals[0] >= offset && page.size() < limit) {
                    page.add(view(file));
                }
                totals[0]++;
                totals[1] += file.size();
            }
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalFiles", totals[0]);
        body.put("totalSize", totals[1]);
        body.put("files", page);
        respondPolled(request, response, body);
    }

    private static Map<String, Object> view(ManagedFile file) {
        Map<String, Object> videoInfo = new LinkedHashMap<>();
        videoInfo.put("url", file.download().url());
        videoInfo.put("title", file.download().get("title"));
        String duration = file.download().get("media_duration"); // a plain file has no length of its own
        videoInfo.put("duration", duration == null ? null : Double.parseDouble(duration));
        String landed = file.download().get("completed_at");
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("filename", file.name());
        view.put("filepath", file.key());
        view.put("size", file.size());
        view.put("createdAt", landed != null ? landed : file.download().get("created_at"));
        view.put("modifiedAt", Timestamps.format(file.modified()));
        view.put("videoInfo", videoInfo);
        return view;
    }

    @Override
    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "delete"); // write allows it too
        RequestBody body = RequestBody.read(json, request);
        List<String> paths = body.strings("files", ANY_PATH, MAX_PATHS, "paths of 1 to 4096 characters");
        if (paths == null || paths.isEmpty()) {
            throw ApiException.invalid("Field 'files' must list 1 to " + MAX_PATHS + " paths");
        }
        if (!body.bool("confirm", false)) {
            throw new ApiException(400, "Confirmation required for destructive operations. Set 'confirm' to true.");
        }
        Map<String, ManagedFile> found = files.find(caller, paths);
        int deleted = 0;
        long freed = 0;
        List<String> failed = new ArrayList<>();
        for (String path : paths) {
            ManagedFile file = found.get(path);
            if (file == null) {
                failed.add(path + " (file not found)");
                continue;
            }
            try {
                freed += files.delete(file);
                deleted++;
            } catch (NoSuchFileException goneMeanwhile) { // deleted since it was found, or listed twice
                failed.add(path + " (file not found)");
            } catch (IOException failure) {
                LOG.log(Level.WARNING, "Could not delete {0}: {1}", file.real(), failure.toString());
                failed.add(path + " (could not be deleted)");
            }
        }
        if (deleted > 0) {
            filesDeleted.run();
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("deletedFiles", deleted);
        answer.put("totalFreedSpace", freed);
        answer.put("failedDeletions", failed);
        respond(response, 200, answer);
    }
}
