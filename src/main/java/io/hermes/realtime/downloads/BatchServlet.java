package io.hermes.realtime.downloads;

import com.fasterxml.jackson.databind.JsonNode;
import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.BodyReader;
import io.hermes.realtime.http.RequestBody;
import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** {@code POST /download/batch}: up to 50 URLs at once, all validated before any is stored. */
final class BatchServlet extends ApiServlet {
    static final int MAX_URLS = 50;

    private final transient DownloadStore store;
    private final transient DownloadEvents events;
    private final transient Authenticator authenticator;
    private final transient UrlRefusal urlRefusal;

    BatchServlet(Json json, DownloadStore store, DownloadEvents events, Authenticator authenticator,
            UrlRefusal urlRefusal, BodyReader bodies) {
        super(json, bodies);
        this.store = store;
        this.events = events;
        this.authenticator = authenticator;
        this.urlRefusal = urlRefusal;
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "write");
        RequestBody body = RequestBody.read(json, request);
        JsonNode urls = body.node("urls");
        if (urls == null || !urls.isArray() || urls.isEmpty() || urls.size() > MAX_URLS) {
            throw ApiException.invalid("Field 'urls' must be an array of 1 to " + MAX_URLS + " URLs");
        }
        List<String> checked = new ArrayList<>();
        for (int i = 0; i < urls.size(); i++) {
            JsonNode url = urls.get(i);
            if (!url.isTextual()) {
                throw ApiException.invalid("Field 'urls[" + i + "]' must be a string");
            }
            checked.add(Submissions.url("urls[" + i + "]", url.textValue(), urlRefusal));
        }
        String format = body.string("format", 1, 100, "best");
        boolean subtitles = body.bool("downloadSubtitles", false);
        boolean thumbnail = body.bool("downloadThumbnail", false);
        String directory = Submissions.directory(body);
        String priority = body.oneOf("priority", Submissions.PRIORITIES, "normal");
        String batchId = UUID.randomUUID().toString();
        List<String> ids = new ArrayList<>();
        for (String url : checked) {
            Download download = store.create(new NewDownload(url, format, null, subtitles, thumbnail, null, directory,
                    null, priority, batchId), caller.owner());
            events.added(download);
            ids.add(download.id());
        }
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("batchId", batchId);
        answer.put("totalDownloads", ids.size());
        answer.put("status", "queued");
        answer.put("downloads", ids);
        respond(response, 200, answer);
    }
}
