package io.hermes.realtime.media;

import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.QueryParams;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * What {@code /info} and {@code /formats} share: the request's {@code url} checked, yt-dlp required, and the
 * extraction answered from {@link InfoCache}.
 *
 * @param refusalAtSubmit why a URL is refused before anything runs (a literal private address), the message of
 *                        the 422; the egress proxy checks every address yt-dlp then connects to
 */
record MediaLookup(YtDlp ytdlp, InfoCache cache, Function<URI, Optional<String>> refusalAtSubmit) {
    /** As for a submitted download (contract section 3). */
    static final int MAX_URL_LENGTH = 2048;

    /** A URL read by yt-dlp (or remembered), with the URL as the request gave it. */
    record Found(String url, VideoInfo info) {
    }

    /** Reads the request's {@code url}: 422, 503, 502, 504 as {@link #requestedUrl}, {@link InfoCache} say. */
    Found lookUp(HttpServletRequest request) {
        String url = requestedUrl(request);
        if (!ytdlp.available()) { // 503 saying why, when HERMES_YTDLP names nothing that runs (contract 10)
            throw ApiException.unavailable(ytdlp.absence().orElse("yt-dlp is not available")
                    + ": this server cannot read media pages");
        }
        return new Found(url, cache.get(url));
    }

    /**
     * The {@code url} query parameter: present, http or https with a host, at most {@value #MAX_URL_LENGTH}
     * characters, not refused at submit. It reaches yt-dlp only as the argument after {@code --}.
     *
     * @throws ApiException 422 naming what is wrong
     */
    private String requestedUrl(HttpServletRequest request) {
        String text = QueryParams.raw(request::getParameter, "url");
        if (text == null) {
            throw ApiException.invalid("Query parameter 'url' is required");
        }
        if (text.codePointCount(0, text.length()) > MAX_URL_LENGTH) {
            throw ApiException.invalid("Query parameter 'url' must be at most " + MAX_URL_LENGTH
                    + " characters long");
        }
        URI uri;
        try {
            uri = new URI(text);
        } catch (URISyntaxException malformed) {
            throw notWeb();
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw notWeb();
        }
        Optional<String> refused = refusalAtSubmit.apply(uri);
        if (refused.isPresent()) {
            throw ApiException.invalid("Query parameter 'url': " + refused.get());
        }
        return text;
    }

    private static ApiException notWeb() {
        return ApiException.invalid("Query parameter 'url' must be an http or https URL with a host");
    }
}
