package io.hermes.realtime.http;

import jakarta.servlet.Servlet;

/**
 * How a feature registers its servlets with the composition root: under {@code /api/v1}, async
 * supported, answering with and without a trailing slash (paths ending in {@code /*} take a suffix).
 */
@FunctionalInterface
public interface ServletRegistrar {
    void add(String name, Servlet servlet, String path);
}
