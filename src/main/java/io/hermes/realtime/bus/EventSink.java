package io.hermes.realtime.bus;

/** Where the subscriber thread hands what it receives. Implementations must never block. */
public interface EventSink {
    /** One event, in stream order; never the same replayable event twice. */
    void deliver(BusEvent event);

    /** Events were lost beyond recovery (the replay stream no longer holds them): clients must refetch. */
    void resync(String reason);
}
