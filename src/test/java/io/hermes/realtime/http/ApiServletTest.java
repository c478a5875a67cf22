package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermes.realtime.json.Json;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.junit.jupiter.api.Test;

/** An endpoint's {@code Allow} names exactly the handlers its class implements, inherited ones included. */
class ApiServletTest {
    private static final Json JSON = new Json();

    static class ReadOnly extends ApiServlet {
        ReadOnly() {
            super(JSON);
        }

        @Override
        protected void get(HttpServletRequest request, HttpServletResponse response) {
        }
    }

    static class ReadAndDelete extends ReadOnly {
        @Override
        protected void delete(HttpServletRequest request, HttpServletResponse response) {
        }
    }

    static class WriteOnly extends ApiServlet {
        WriteOnly() {
            super(JSON);
        }

        @Override
        protected void post(HttpServletRequest request, HttpServletResponse response) {
        }
    }

    static class Settable extends ReadOnly {
        @Override
        protected void put(HttpServletRequest request, HttpServletResponse response) {
        }

        @Override
        protected void patch(HttpServletRequest request, HttpServletResponse response) {
        }
    }

    @Test
    void getBringsHeadAndEveryEndpointAnswersOptions() {
        assertEquals("GET, HEAD, OPTIONS", new ReadOnly().allowedMethods());
    }

    @Test
    void handlersInheritedFromASuperclassAreAllowedToo() {
        assertEquals("GET, HEAD, DELETE, OPTIONS", new ReadAndDelete().allowedMethods());
    }

    @Test
    void anEndpointWithoutGetDoesNotClaimHead() {
        assertEquals("POST, OPTIONS", new WriteOnly().allowedMethods());
    }

    @Test
    void putAndPatchHandlersAreAnnounced() {
        assertEquals("GET, HEAD, PUT, PATCH, OPTIONS", new Settable().allowedMethods());
    }
}
