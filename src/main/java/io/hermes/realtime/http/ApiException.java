package io.hermes.realtime.http;

import java.util.Map;

/**
 * The one exception type that carries an HTTP status and a message meant for the client. {@link ApiServlet}
 * turns it into the contract's JSON error body.
 */
public class ApiException extends RuntimeException {
    private final int status;
    private final Map<String, String> headers;

    public ApiException(int status, String message) {
        this(status, message, Map.of());
    }

    public ApiException(int status, String message, Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.headers = Map.copyOf(headers);
    }

    public int status() {
        return status;
    }

    /** Extra response headers, such as {@code Retry-After}. */
    public Map<String, String> headers() {
        return headers;
    }

    public static ApiException notFound(String message) {
        return new ApiException(404, message);
    }

    /** 405, naming in {@code Allow} the methods the resource does answer, as the contract asks. */
    public static ApiException methodNotAllowed(String allow) {
        return new ApiException(405, "Method Not Allowed", Map.of("Allow", allow));
    }

    public static ApiException invalid(String message) {
        return new ApiException(422, message);
    }

    public static ApiException unavailable(String message) {
        return new ApiException(503, message);
    }
}
