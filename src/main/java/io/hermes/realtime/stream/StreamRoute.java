package io.hermes.realtime.stream;

import io.hermes.realtime.auth.StreamGrant;
import jakarta.servlet.http.HttpServletRequest;

/** One SSE endpoint's rules: what an admitted request streams, or why it may not (403/404/422). */
interface StreamRoute {
    StreamPlan plan(HttpServletRequest request, StreamGrant grant);
}
