package io.hermes.bench;

import java.io.IOException;
import java.util.Map;

/** Where the publisher sends each event: one synchronous call per event, as a worker would make. */
interface EventSink extends AutoCloseable {
    /**
     * Runs the sending code without reaching any subscriber of the benchmark, so the first timed events do
     * not carry this JVM's class loading and interpretation.
     */
    void warmUp() throws IOException;

    void publish(Map<String, Object> data) throws IOException;

    @Override
    void close();
}
