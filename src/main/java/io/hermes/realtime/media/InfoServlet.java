package io.hermes.realtime.media;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

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
    private final transient Authenticator authenticator;
    private final transient MediaLookup lookup;

    InfoServlet(Json json, Authenticator authenticator, MediaLookup lookup) {
        super(json);
        this.authenticator = authenticator;
        this.lookup = lookup;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "read");
        boolean includeFormats = QueryParams.bool(request, "include_formats", true);
        VideoInfo info = lookup.lookUp(request).info();
        respond(response, 200, includeFormats ? info : info.withoutFormats());
    }
}
