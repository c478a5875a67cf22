package io.hermes.realtime.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.Map;
import redis.clients.jedis.exceptions.JedisConnectionException;

/**
 * Base of every API servlet: dispatches by method and turns every failure into the contract's JSON
 * error body, so no servlet writes error responses, and no stack trace reaches a client.
 */
public abstract class ApiServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());

    protected final transient Json json;

    protected ApiServlet(Json json) {
        this.json = json;
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            switch (request.getMethod()) {
                case "GET", "HEAD" -> get(request, response);
                case "POST" -> post(request, response);
                case "DELETE" -> delete(request, response);
                default -> throw methodNotAllowed();
            }
        } catch (ApiException error) {
            ErrorBody.send(json, response, error);
        } catch (JedisConnectionException redisDown) {
            LOG.log(Level.WARNING, "Redis unreachable while serving {0} {1}: {2}",
                    request.getMethod(), request.getRequestURI(), redisDown.getMessage());
            ErrorBody.send(json, response, 503, "Storage is temporarily unavailable (Redis unreachable)",
                    Map.of("Retry-After", "5"));
        } catch (IOException clientGone) {
            throw clientGone;
        } catch (RuntimeException bug) {
            LOG.log(Level.ERROR, "Unexpected failure serving " + request.getMethod() + " " + request.getRequestURI(), bug);
            ErrorBody.send(json, response, 500, "Internal server error", Map.of());
        }
    }

    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    private static ApiException methodNotAllowed() {
        return new ApiException(405, "Method Not Allowed");
    }
}
