package io.hermes.realtime.stream;

import io.hermes.realtime.auth.Caller;
import jakarta.servlet.http.HttpServletRequest;

/** One SSE endpoint's rules: the scope a token needs, and what the stream carries. */
public interface StreamRoute {
    /** The SSE token scope this request needs ({@code queue}, {@code download:ID} …); may throw 404/422. */
    String scope(HttpServletRequest request);

    /** The stream for an authenticated caller; may throw 404/422. */
    StreamPlan plan(HttpServletRequest request, Caller caller);
}
