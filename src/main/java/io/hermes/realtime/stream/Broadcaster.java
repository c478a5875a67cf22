package io.hermes.realtime.stream;

import io.hermes.realtime.bus.BusEvent;
import io.hermes.realtime.bus.EventSink;

/**
 * Turns each event from the subscriber into one encoded frame and offers it to the registry. Runs on
 * the subscriber thread; encoding happens once per event, whatever the number of clients.
 */
final class Broadcaster implements EventSink {
    private final ConnectionRegistry registry;
    private final ControlFrames frames;

    public Broadcaster(ConnectionRegistry registry, ControlFrames frames) {
        this.registry = registry;
        this.frames = frames;
    }

    @Override
    public void deliver(BusEvent event) {
        registry.broadcast(SseFrame.of(event));
    }

    @Override
    public void resync(String reason) {
        registry.broadcast(frames.resync(reason));
    }
}
