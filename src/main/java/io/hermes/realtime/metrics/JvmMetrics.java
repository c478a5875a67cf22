package io.hermes.realtime.metrics;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * The JVM's heap, read at each scrape from its memory bean: cheap, no thread. The used figure saw-tooths
 * between collections, so an alert on it looks at its lowest value over a while (what stays after the
 * collections), not at one reading.
 */
final class JvmMetrics {
    private JvmMetrics() {
    }

    static void register(Metrics metrics) {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        metrics.gauge("hermes_jvm_heap_used_bytes", "Heap the JVM uses now, live objects and garbage not yet collected",
                () -> memory.getHeapMemoryUsage().getUsed());
        metrics.gauge("hermes_jvm_heap_max_bytes", "The most heap the JVM may use (-Xmx, or its default); NaN if it has"
                + " no limit", () -> {
                    long max = memory.getHeapMemoryUsage().getMax();
                    return max < 0 ? Double.NaN : max;
                });
    }
}
