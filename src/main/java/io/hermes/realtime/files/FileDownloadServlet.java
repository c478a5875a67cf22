package io.hermes.realtime.files;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.LinkOption;
import java.nio.file.StandardOpenOption;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code GET|HEAD /files/download?path=}: the bytes of one of the caller's files (see {@link ManagedFiles}),
 * whole or one byte range, written by a {@link FileBody} without holding a container thread. Anything that
 * is not such a file answers the same 404 {@code File not found}.
 */
final class FileDownloadServlet extends ApiServlet {
    static final String NOT_FOUND = "File not found";

    private final transient Authenticator authenticator;
    private final transient ManagedFiles files;
    /** The bodies being written, which undeploying ends rather than leaves to the container. */
    private final transient Set<FileBody> inFlight = ConcurrentHashMap.newKeySet();

    FileDownloadServlet(Json json, Authenticator authenticator, ManagedFiles files) {
        super(json);
        this.authenticator = authenticator;
        this.files = files;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "download"); // read allows it too
        ManagedFile file = files.find(caller, request.getParameter("path"))
                .orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        // Opened by its real path, refusing a link there: the file checked is the file sent, even if someone
        // swapped it for a link since.
        FileChannel channel;
        try {
            channel = FileChannel.open(file.real(), StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
        } catch (IOException | UnsupportedOperationException gone) {
            throw ApiException.notFound(NOT_FOUND);
        }
        boolean sending = false;
        try {
            long size = channel.size();
            String etag = "\"" + Long.toHexString(size) + "-" + Long.toHexString(file.modified().toEpochMilli()) + "\"";
            String lastModified = DateTimeFormatter.RFC_1123_DATE_TIME.format(file.modified().atOffset(ZoneOffset.UTC));
            RangeRequest range = ifRangeHolds(request, etag, lastModified)
                    ? RangeRequest.of(request.getHeader("Range"), size) : new RangeRequest.Whole();
            response.setHeader("Accept-Ranges", "bytes");
            response.setHeader("X-Content-Type-Options", "nosniff");
            response.setHeader("ETag", etag);
            response.setHeader("Last-Modified", lastModified);
            response.setHeader("Cache-Control", "private, no-cache");
            if (range instanceof RangeRequest.Unsatisfiable) {
                throw new ApiException(416, "Range not satisfiable: the file has " + size + " bytes",
                        Map.of("Content-Range", "bytes */" + size));
            }
            response.setContentType(MediaTypes.of(file.name()));
            response.setHeader("Content-Disposition", Attachment.of(file.name()));
            long first = 0;
            long length = size;
            if (range instanceof RangeRequest.Part part) {
                response.setStatus(HttpServletResponse.SC_PARTIAL_CONTENT);
                response.setHeader("Content-Range", "bytes " + part.first() + "-" + part.last() + "/" + size);
                first = part.first();
                length = part.length();
            } else {
                response.setStatus(HttpServletResponse.SC_OK);
            }
            response.setContentLengthLong(length);
            if (length > 0 && !request.getMethod().equals("HEAD")) {
                FileBody.send(request, channel, first, length, inFlight); // closes the file once done
                sending = true;
            }
        } finally {
            if (!sending) {
                channel.close();
            }
        }
    }

    /** Undeploying: the bodies still being written end now, so no response of ours outlives the WAR. */
    @Override
    public void destroy() {
        for (FileBody body : inFlight) {
            body.end();
        }
        super.destroy();
    }

    /**
     * Whether a range may be served: always without {@code If-Range}; with it, only while it still names this
     * version of the file (its ETag or Last-Modified), else the client gets the whole new file (RFC 9110, 13.1.5).
     */
    private static boolean ifRangeHolds(HttpServletRequest request, String etag, String lastModified) {
        String ifRange = request.getHeader("If-Range");
        return ifRange == null || ifRange.trim().equals(etag) || ifRange.trim().equals(lastModified);
    }
}
