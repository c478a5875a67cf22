package io.hermes.realtime.worker;

import io.hermes.realtime.metrics.Counter;
import io.hermes.realtime.metrics.Metrics;
import java.util.concurrent.atomic.AtomicInteger;

/** The built-in worker's metrics: transfers running on this instance, and how those that ended did. */
final class WorkerMetrics {
    private final AtomicInteger active = new AtomicInteger();
    private final Counter completed;
    private final Counter failed;

    WorkerMetrics(Metrics metrics) {
        metrics.gauge("hermes_worker_transfers_active", "Downloads this instance's worker is transferring now",
                active::get);
        completed = metrics.counter("hermes_worker_transfers_completed_total",
                "Downloads this instance's worker completed");
        failed = metrics.counter("hermes_worker_transfers_failed_total",
                "Downloads this instance's worker marked failed");
    }

    void started() {
        active.incrementAndGet();
    }

    void ended() {
        active.decrementAndGet();
    }

    void completed() {
        completed.increment();
    }

    void failed() {
        failed.increment();
    }
}
