package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * Answers every API path that no other servlet claims with a JSON 404, whatever the method: a path that
 * does not exist has no methods to list, so neither 405 nor an OPTIONS 204 would be true.
 */
final class NotFoundServlet extends HttpServlet {
    private final transient Json json;

    NotFoundServlet(Json json) {
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        ErrorBody.send(json, response, HttpServletResponse.SC_NOT_FOUND, "Not Found", Map.of());
    }
}
