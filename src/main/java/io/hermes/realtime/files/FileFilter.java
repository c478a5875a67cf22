package io.hermes.realtime.files;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Locale;
import java.util.Optional;

/**
 * The filters of {@code GET /files} (upstream's): {@code directory} (below the download directory; one that
 * lies outside matches nothing), {@code extension} (with or without its dot, any case), {@code min_size} and
 * {@code max_size} (bytes, included). Absent parameters filter nothing.
 *
 * @param directory the directory's key with a trailing {@code /}, {@code ""} for any, {@code null} for none
 */
record FileFilter(String directory, String extension, long minSize, long maxSize) {

    static FileFilter of(HttpServletRequest request, DownloadDirectory downloads) {
        String directory = "";
        String given = QueryParams.raw(request::getParameter, "directory");
        if (given != null) {
            Optional<String> key = downloads.directoryKey(given);
            directory = key.map(inside -> inside.isEmpty() ? "" : inside + "/").orElse(null);
        }
        String extension = QueryParams.raw(request::getParameter, "extension");
        if (extension != null) {
            extension = "." + (extension.startsWith(".") ? extension.substring(1) : extension).toLowerCase(Locale.ROOT);
        }
        long minSize = QueryParams.longInteger(request, "min_size", 0, Long.MAX_VALUE, 0);
        long maxSize = QueryParams.longInteger(request, "max_size", 0, Long.MAX_VALUE, Long.MAX_VALUE);
        if (minSize > maxSize) {
            throw ApiException.invalid("min_size must not exceed max_size");
        }
        return new FileFilter(directory, extension, minSize, maxSize);
    }

    boolean test(ManagedFile file) {
        return directory != null && file.key().startsWith(directory)
                && (extension == null || file.name().toLowerCase(Locale.ROOT).endsWith(extension))
                && file.size() >= minSize && file.size() <= maxSize;
    }
}
