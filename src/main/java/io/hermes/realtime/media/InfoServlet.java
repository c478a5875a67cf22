package io.hermes.realtime.media;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /info?url=&include_formats=true}: what yt-dlp reads from a URL without downloading it
 * ({@link VideoInfo}), for the web app's preview and playlist picker.
 *
 * <p>Threads: the request's container thread waits while yt-dlp runs. That is bounded — at most
 * {@code HERMES_INFO_MAX_IN_FLIGHT} extractions, {@code HERMES_INFO_TIMEOUT} seconds each, and four times as many
 * waiting requests ({@link InfoCache}); beyond, a 503 at once — and keeps the code a plain request and answer.
 * Asynchronous handling would free those threads, but would need a thread of ours to follow yt-dlp anyway, and
 * a handful of parked threads is cheap next to the yt-dlp processes they wait for.
 */
final class InfoServlet extends ApiServlet {
    /** As for a submitted download (contract section 3). */
    static final int MAX_URL_LENGTH = 2048;

    private final transient Authenticator authenticator;
    private final transient YtDlp ytdlp;
    private final transient InfoCache cache;
    private final transient Function<URI, Optional<String>> refusalAtSubmit;

    /**
     * @param refusalAtSubmit why a URL is refused before anything runs (a literal private address), the message of
     *                        the 422; the egress proxy checks every address yt-dlp then connects to
     */
    InfoServlet(Json json, Authenticator authenticator, YtDlp ytdlp, InfoCache cache,
            Function<URI, Optional<String>> refusalAtSubmit) {
        super(json);
        this.authenticator = authenticator;
        this.ytdlp = ytdlp;
        this.cache = cache;
        this.refusalAtSubmit = refusalAtSubmit;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "read");
        String url = requestedUrl(request, refusalAtSubmit);
        boolean includeFormats = QueryParams.bool(request, "include_formats", true);
        requireYtDlp(ytdlp);
        VideoInfo info = cache.get(url);
        respond(response, 200, includeFormats ? info : info.withoutFormats());
    }

    /**
     * The {@code url} query parameter: present, http or https with a host, at most {@value #MAX_URL_LENGTH}
     * characters, not refused at submit. It reaches yt-dlp only as the argument after {@code --}.
     *
     * @throws ApiException 422 naming what is wrong
     */
    static String requestedUrl(HttpServletRequest request, Function<URI, Optional<String>> refusalAtSubmit) {
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

    /** 503 saying why, when {@code HERMES_YTDLP} names nothing that runs (contract section 10). */
    static void requireYtDlp(YtDlp ytdlp) {
        if (!ytdlp.available()) {
            throw ApiException.unavailable(ytdlp.absence().orElse("yt-dlp is not available")
                    + ": this server cannot read media pages");
        }
    }

    private static ApiException notWeb() {
        return ApiException.invalid("Query parameter 'url' must be an http or https URL with a host");
    }
}
