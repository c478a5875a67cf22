package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Map;

/**
 * The WAR's one error page ({@code <error-page>} in {@code web.xml}): whatever status the container
 * raised on its own (a malformed path, a missing file, a refused method), the client gets the contract's
 * JSON error body. Errors our servlets answer themselves never come here; they are already written.
 */
final class ErrorPageServlet extends HttpServlet {
    /** Where {@code web.xml}'s default {@code <error-page>} and {@code deploy/jetty/hermes-errors.xml} point. */
    static final String PATH = "/error";
    /**
     * Where Jetty's server-level error handler, as {@code deploy/jetty/hermes-errors.xml} sets it up, leaves
     * the status when it hands an error raised before the WAR ran (an ambiguous path, a too-long header) to
     * this page as an ordinary request. Clients cannot set request attributes, so only Jetty can.
     */
    static final String JETTY_ERROR_STATUS = "org.eclipse.jetty.server.error_status";
    /** The methods of the page's static files, which are what a container's own 405 is about. */
    static final String STATIC_METHODS = "GET, HEAD, OPTIONS";

    private final transient Json json;

    ErrorPageServlet(Json json) {
        this.json = json;
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        int status = statusOf(request);
        // A 405 names what is allowed; keep the container's list when it made one.
        Map<String, String> headers = status == HttpServletResponse.SC_METHOD_NOT_ALLOWED
                && response.getHeader("Allow") == null ? Map.of("Allow", STATIC_METHODS) : Map.of();
        ErrorBody.send(json, response, status, messageFor(status), headers);
    }

    /** The error's status; asked for directly, this page is just a path that does not exist. */
    private static int statusOf(HttpServletRequest request) {
        Object status = request.getDispatcherType() == DispatcherType.ERROR
                ? request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE)
                : request.getAttribute(JETTY_ERROR_STATUS);
        if (status instanceof Integer code && code >= 400 && code <= 599) {
            return code;
        }
        return request.getDispatcherType() == DispatcherType.ERROR
                ? HttpServletResponse.SC_INTERNAL_SERVER_ERROR : HttpServletResponse.SC_NOT_FOUND;
    }

    /**
     * A fixed message per status. The container's own message is never passed on: it may quote the request
     * or name the container's internals, and an exception's message certainly may.
     */
    static String messageFor(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 405 -> "Method Not Allowed";
            case 406 -> "Not Acceptable";
            case 408 -> "Request Timeout";
            case 411 -> "Length Required";
            case 413 -> "Content Too Large";
            case 414 -> "URI Too Long";
            case 415 -> "Unsupported Media Type";
            case 416 -> "Range Not Satisfiable";
            case 417 -> "Expectation Failed";
            case 422 -> "Unprocessable Content";
            case 429 -> "Too Many Requests";
            case 431 -> "Request Header Fields Too Large";
            case 500 -> "Internal server error";
            case 501 -> "Not Implemented";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            case 505 -> "HTTP Version Not Supported";
            default -> status < 500 ? "Request refused" : "Server error";
        };
    }
}
