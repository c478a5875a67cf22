package io.hermes.realtime.http;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Answers every API path that no other servlet claims with a JSON 404. */
public final class NotFoundServlet extends ApiServlet {
    public NotFoundServlet(Json json) {
        super(json);
    }

    @Override
    protected void get(HttpServletRequest request, HttpServletResponse response) {
        throw ApiException.notFound("Not Found");
    }

    @Override
    protected void post(HttpServletRequest request, HttpServletResponse response) {
        throw ApiException.notFound("Not Found");
    }

    @Override
    protected void delete(HttpServletRequest request, HttpServletResponse response) {
        throw ApiException.notFound("Not Found");
    }
}
