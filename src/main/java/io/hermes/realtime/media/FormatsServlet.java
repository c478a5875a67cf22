package io.hermes.realtime.media;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;
import java.util.function.Function;

/**
 * {@code GET /formats} ({@link FormatInfo#general()}, what the web app asks for) and {@code GET /formats?url=}
 * (the formats of that URL, from the same extraction and cache as {@code /info}). Threads and limits as in
 * {@link InfoServlet}; without a URL nothing runs.
 */
final class FormatsServlet extends ApiServlet {
    private final transient Authenticator authenticator;
    private final transient YtDlp ytdlp;
    private final transient InfoCache cache;
    private final transient Function<URI, Optional<String>> refusalAtSubmit;

    FormatsServlet(Json json, Authenticator authenticator, YtDlp ytdlp, InfoCache cache,
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
        if (QueryParams.raw(request::getParameter, "url") == null) {
            respond(response, 200, FormatInfo.general());
            return;
        }
        String url = InfoServlet.requestedUrl(request, refusalAtSubmit);
        InfoServlet.requireYtDlp(ytdlp);
        respond(response, 200, FormatInfo.of(url, cache.get(url)));
    }
}
