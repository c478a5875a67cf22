package io.hermes.realtime.downloads;

import io.hermes.realtime.auth.Authenticator;
import io.hermes.realtime.auth.Caller;
import io.hermes.realtime.http.ApiException;
import io.hermes.realtime.http.ApiServlet;
import io.hermes.realtime.http.QueryParams;
import io.hermes.realtime.json.Json;
import io.hermes.realtime.polling.DataSet;
import io.hermes.realtime.polling.PolledResponses;
import io.hermes.realtime.polling.PolledView;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /queue} (and {@code /download/queue}): status counts and a page of downloads, newest first.
 * Answered through {@link PolledResponses}: an unchanged queue costs one read of its version.
 */
final class QueueServlet extends ApiServlet {
    private final transient PolledView view;
    private final transient Authenticator authenticator;
    private final transient PolledResponses responses;

    QueueServlet(Json json, PolledView view, Authenticator authenticator, PolledResponses responses) {
        super(json);
        this.view = view;
        this.authenticator = authenticator;
        this.responses = responses;
    }

    /** The queue's answer, which the stream snapshot {@code queue} repeats. */
    static PolledView view(Json json, DownloadStore store) {
        return (owner, parameters) -> {
            String statusParam = parameters.apply("status");
            Status status = statusParam == null || statusParam.isEmpty() ? null : Status.parseFilter(statusParam)
                    .orElseThrow(() -> ApiException.invalid("Query parameter 'status' must be one of queued, pending, "
                            + "downloading, processing, completed, failed, cancelled"));
            int limit = QueryParams.integer(parameters, "limit", 1, 100, 20);
            int offset = QueryParams.integer(parameters, "offset", 0, Integer.MAX_VALUE, 0);
            return PolledView.Prepared.of(() -> body(json, store, owner, status, limit, offset),
                    owner, status, limit, offset);
        };
    }

    private static Map<String, Object> body(Json json, DownloadStore store, String owner, Status status, int limit,
            int offset) {
        DownloadStore.QueuePage page = store.queuePage(owner, status, limit, offset);
        Map<Status, Long> counts = page.counts();
        long total = status == null ? counts.values().stream().mapToLong(Long::longValue).sum() : counts.get(status);
        List<Map<String, Object>> items = new ArrayList<>(page.items().size());
        for (Download download : page.items()) {
            items.add(download.statusView(json.mapper()));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("totalItems", total);
        body.put("queued", counts.get(Status.QUEUED));
        body.put("active", counts.get(Status.DOWNLOADING) + counts.get(Status.PROCESSING));
        body.put("completed", counts.get(Status.COMPLETED));
        body.put("failed", counts.get(Status.FAILED));
        body.put("cancelled", counts.get(Status.CANCELLED));
        body.put("pending", counts.get(Status.QUEUED));
        body.put("items", items);
        return body;
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Caller caller = authenticator.authenticate(request, "read");
        responses.respond(request, response, DataSet.DOWNLOADS, "queue", view, caller.ownerFilter());
    }
}
