/**
 * Metrics: counters, histograms and gauges, and {@code GET /metrics} in the Prometheus text format.
 *
 * <p>One {@link io.hermes.realtime.metrics.Metrics} per instance, built by the composition root and passed
 * to every feature, which registers its own metrics ({@code StreamMetrics}, {@code BusMetrics},
 * {@code WorkerMetrics}). Recording is lock-free and allocation-free, fit for the per-frame path; gauges are
 * read only at a scrape. No thread of its own, nothing static; no client library, the text format is
 * small enough to write here ({@link io.hermes.realtime.metrics.TextFormat}). The JVM's heap is registered
 * here too, and {@code POST /events/fallback}, where dashboard pages report switching to polling and back
 * (counted, rate-limited per credential; authentication comes in as a function, so no feature is imported).
 * The Prometheus rules and the Grafana dashboard built on these metrics are in {@code deploy/}.
 */
package io.hermes.realtime.metrics;
