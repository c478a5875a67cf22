package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import io.hermes.realtime.metrics.Metrics;
import io.hermes.realtime.testing.Skip;
import java.lang.management.ManagementFactory;
import java.time.Clock;
import org.junit.jupiter.api.Test;

class StreamMetricsTest {

    @Test
    void recordingAWrittenFrameAllocatesNothing() {
        Skip.unless(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean,
                "this JVM cannot count the bytes a thread allocates");
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        Skip.unless(threads.isThreadAllocatedMemorySupported() && threads.isThreadAllocatedMemoryEnabled(),
                "this JVM does not count the bytes a thread allocates");
        Clock clock = Clock.systemUTC();
        StreamMetrics metrics = new StreamMetrics(new Metrics(), new ConnectionRegistry(1), new CompressionSlots(0), clock);
        SseFrame event = SseFrame.of(new BusEvent(new EventId(1, 0), Channel.QUEUE, "queue_update", "{}", null, null,
                clock.millis() - 3));
        SseFrame ping = ControlFrames.PING;
        for (int i = 0; i < 200_000; i++) { // warm up, so the measured loop runs compiled code
            metrics.written(event);
            metrics.written(ping);
        }

        long thread = Thread.currentThread().getId();
        long before = threads.getThreadAllocatedBytes(thread);
        for (int i = 0; i < 1_000_000; i++) {
            metrics.written(event);
            metrics.written(ping);
        }
        long allocated = threads.getThreadAllocatedBytes(thread) - before;

        // One byte per frame would already be 2 MB; what remains is the measurement's own noise.
        assertTrue(allocated < 64 * 1024, allocated + " bytes allocated for 2,000,000 frames");
    }
}
