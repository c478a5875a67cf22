package io.hermes.realtime.media;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * {@code GET /formats} ({@link FormatInfo#general()}, what the web app asks for) and {@code GET /formats?url=}
 * (the formats of that URL, from the same extraction and cache as {@code /info}). Threads and limits as in
 * {@link InfoServlet}; without a URL nothing runs.
 */
final class FormatsServlet extends ApiServlet {
    private final transient Authenticator authenticator;
    private final transient MediaLookup lookup;

    FormatsServlet(Json json, Authenticator authenticator, MediaLookup lookup) {
        super(json);
        this.authenticator = authenticator;
        this.lookup = lookup;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        authenticator.authenticate(request, "read");
        if (QueryParams.raw(request::getParameter, "url") == null) {
            respond(response, 200, FormatInfo.general());
            return;
        }
        MediaLookup.Found found = lookup.lookUp(request);
        respond(response, 200, FormatInfo.of(found.url(), found.info()));
    }
}
