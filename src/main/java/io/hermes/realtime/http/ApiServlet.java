package io.hermes.realtime.http;

import io.hermes.realtime.json.Json;
import io.hermes.realtime.redis.RedisUnreachable;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

/**
 * Base of every API servlet: dispatches by method and turns every failure into the contract's JSON
 * error body, so no servlet writes error responses, and no stack trace reaches a client. A request body
 * is received in full by a {@link BodyReader}, without holding the container's thread, before the
 * method's handler runs; servlets built without one take no bodies and answer without reading them.
 */
public abstract class ApiServlet extends HttpServlet {
    private static final System.Logger LOG = System.getLogger(ApiServlet.class.getName());
    private static final long OUTAGE_WARNING_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final String REDIS_UNAVAILABLE = "Storage is temporarily unavailable (Redis unreachable)";
    /** The methods whose bodies are received before the handler runs, in servlets that take bodies. */
    private static final Set<String> BODY_METHODS = Set.of("POST", "PUT", "PATCH", "DELETE");

    protected final transient Json json;
    /** Null for servlets that take no bodies. */
    private final transient BodyReader bodies;
    /** {@link #bodyMethods()}, once computed. */
    private transient volatile Set<String> bodyMethods;
    /** When this endpoint last warned about Redis; polling clients must not turn an outage into a log flood. */
    private final transient AtomicLong lastOutageWarning =
            new AtomicLong(System.nanoTime() - OUTAGE_WARNING_INTERVAL_NANOS);

    /** A servlet that takes no request bodies. */
    protected ApiServlet(Json json) {
        this(json, null);
    }

    /** A servlet whose POST, PUT, PATCH and DELETE bodies {@code bodies} receives in full before the handler reads them. */
    protected ApiServlet(Json json, BodyReader bodies) {
        this.json = json;
        this.bodies = bodies;
    }

    @Override
    protected final void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!BodyReader.carriesBody(request)) {
            answer(request, response);
        } else if (method.equals("GET") || method.equals("HEAD")) {
            // Refused rather than ignored: Tomcat would read (swallow) an ignored body on its own thread.
            BodyReader.answerUnread(request, response,
                    () -> ErrorBody.send(json, response, BodyReader.unexpected(method)));
        } else if (bodies != null && bodyMethods().contains(method)) {
            bodies.receive(request, response, new BodyOutcome() {
                @Override
                public void received() throws IOException {
                    answer(request, response);
                }

                @Override
                public void refused(ApiException why) throws IOException {
                    ErrorBody.send(json, response, why);
                }
            });
        } else {
            BodyReader.answerUnread(request, response, () -> answer(request, response));
        }
    }

    /**
     * The methods whose bodies this servlet receives: those of {@link #BODY_METHODS} it has a handler for. A body
     * sent with any other method is refused (405) without being waited for. Read from the class once.
     */
    private Set<String> bodyMethods() {
        Set<String> methods = bodyMethods;
        if (methods == null) {
            methods = BODY_METHODS.stream().filter(method -> overrides(method.toLowerCase(Locale.ROOT)))
                    .collect(Collectors.toUnmodifiableSet());
            bodyMethods = methods; // racing threads compute the same set
        }
        return methods;
    }

    /** Runs the method's handler; the one place where every failure becomes the contract's JSON error body. */
    private void answer(HttpServletRequest request, HttpServletResponse response) throws IOException {
        try {
            switch (request.getMethod()) {
                case "GET", "HEAD" -> get(request, response);
                case "POST" -> post(request, response);
                case "PUT" -> put(request, response);
                case "PATCH" -> patch(request, response);
                case "DELETE" -> delete(request, response);
                case "OPTIONS" -> options(request, response);
                default -> throw methodNotAllowed();
            }
        } catch (ApiException error) {
            if (error.status() == 405 && !error.headers().containsKey("Allow")) {
                // The contract's 405 names what is allowed; a handler that did not say gets the endpoint's list.
                error = new ApiException(405, error.getMessage(), Map.of("Allow", allowedMethods()));
            }
            ErrorBody.send(json, response, error);
        } catch (IOException clientGone) {
            throw clientGone;
        } catch (RuntimeException failed) {
            if (RedisUnreachable.is(failed)) {
                warnAboutRedis(request, failed);
                ErrorBody.send(json, response, 503, REDIS_UNAVAILABLE, Map.of("Retry-After", "5"));
            } else {
                LOG.log(Level.ERROR, "Unexpected failure serving " + request.getMethod() + " " + request.getRequestURI(),
                        failed);
                ErrorBody.send(json, response, 500, "Internal server error", Map.of());
            }
        }
    }

    /** One warning per endpoint per minute while Redis is unreachable; the rest at debug. */
    private void warnAboutRedis(HttpServletRequest request, RuntimeException failure) {
        long now = System.nanoTime();
        long last = lastOutageWarning.get();
        boolean warn = now - last >= OUTAGE_WARNING_INTERVAL_NANOS && lastOutageWarning.compareAndSet(last, now);
        LOG.log(warn ? Level.WARNING : Level.DEBUG, "Redis unreachable while serving {0} {1}: {2}; answered 503"
                + (warn ? " (this endpoint logs this at most once a minute)" : ""),
                request.getMethod(), request.getRequestURI(), failure.getMessage());
    }

    /** Writes {@code body} as a JSON response with the given status. */
    protected final void respond(HttpServletResponse response, int status, Object body) throws IOException {
        JsonResponse.send(json, response, status, body);
    }

    /** Writes {@code body} as a 200 with an ETag hashed from it, or a 304 for a request that holds it already. */
    protected final void respondPolled(HttpServletRequest request, HttpServletResponse response, Object body)
            throws IOException {
        JsonResponse.sendPolled(json, request, response, body);
    }

    protected void get(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    protected void post(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    protected void put(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    protected void patch(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    protected void delete(HttpServletRequest request, HttpServletResponse response) throws IOException {
        throw methodNotAllowed();
    }

    /** Names the methods this endpoint answers; CORS preflights get their own headers from {@link CorsFilter}. */
    protected void options(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setHeader("Allow", allowedMethods());
        response.setStatus(HttpServletResponse.SC_NO_CONTENT);
    }

    private ApiException methodNotAllowed() {
        return new ApiException(405, "Method Not Allowed", Map.of("Allow", allowedMethods()));
    }

    /**
     * The {@code Allow} header's value: the methods whose handler the subclass overrides (GET brings HEAD),
     * and OPTIONS, which every endpoint answers. Read from the class, so a new handler is announced with
     * nothing else to update.
     */
    final String allowedMethods() {
        List<String> methods = new ArrayList<>();
        if (overrides("get")) {
            methods.add("GET");
            methods.add("HEAD");
        }
        if (overrides("post")) {
            methods.add("POST");
        }
        if (overrides("put")) {
            methods.add("PUT");
        }
        if (overrides("patch")) {
            methods.add("PATCH");
        }
        if (overrides("delete")) {
            methods.add("DELETE");
        }
        methods.add("OPTIONS");
        return String.join(", ", methods);
    }

    private boolean overrides(String handler) {
        for (Class<?> type = getClass(); type != ApiServlet.class; type = type.getSuperclass()) {
            try {
                type.getDeclaredMethod(handler, HttpServletRequest.class, HttpServletResponse.class);
                return true;
            } catch (NoSuchMethodException notHere) {
                // declared further up, or only by this class
            }
        }
        return false;
    }
}
