package io.hermes.realtime.http;

import jakarta.servlet.Servlet;

/**
 * How a feature registers its servlets with the composition root: under {@code /api/v1}, async
 * supported, answering with and without a trailing slash (paths ending in {@code /*} take a suffix).
 */
public interface ServletRegistrar {
    void add(String name, Servlet servlet, String path);

    /**
     * As {@link #add}, and also at {@code path} of the context itself, outside the API prefix: for an
     * exact path that a tool looks for at the root ({@code /metrics}, where Prometheus scrapes by default).
     */
    void addAlsoAtRoot(String name, Servlet servlet, String path);

    /**
     * At {@code path} of the context only, outside the API prefix: for an exact path that another product's
     * clients use ({@code /events} and {@code /api/notifications} of the NotifyHub feed).
     */
    void addAtRoot(String name, Servlet servlet, String path);
}
