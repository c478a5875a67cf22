package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Writes the contract's error body, which carries both shapes clients know:
 * {@code {"detail": M, "error": {"code": "http_S", "message": M, "details": null}}}.
 */
final class ErrorBody {
    private ErrorBody() {
    }

    static void send(Json json, HttpServletResponse response, ApiException error) throws IOException {
        send(json, response, error.status(), error.getMessage(), error.headers());
    }

    static void send(Json json, HttpServletResponse response, int status, String message,
            Map<String, String> headers) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        headers.forEach(response::setHeader);
        Map<String, Object> error = new LinkedHashMap<>();
        error.put("code", "http_" + status);
        error.put("message", message);
        error.put("details", null);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("detail", message);
        body.put("error", error);
        JsonResponse.send(json, response, status, body);
    }
}
