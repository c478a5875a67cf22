package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hermes.realtime.bus.Channel;
import io.hermes.realtime.bus.EventId;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RelayTest {
    private final Relay relay = new Relay("status", Set.of("completed", "failed", "cancelled"));

    @Test
    void anEventIsShownUnderTheStreamsOwnNameWithItsIdAndDataUnchanged() {
        SseFrame published = new SseFrame(SseFrame.encode("1-2", "session_status", "{\"status\":\"processing\"}"),
                EventId.parse("1-2").orElseThrow(), Channel.SESSION, "s1", "alice", 0, "processing");
        SseFrame shown = relay.pass(published);
        assertEquals("id: 1-2\nevent: status\ndata: {\"status\":\"processing\"}\n\n", shown.toString());
        assertEquals(published.id(), shown.id());
        assertFalse(relay.isLast(shown));
    }

    @Test
    void aFinalStatusEndsTheStreamAndServerFramesPassUnchanged() {
        SseFrame completed = new SseFrame(SseFrame.encode(null, "session_status", "{}"), null, Channel.SESSION, "s1",
                "alice", 0, "completed");
        assertEquals("event: status\ndata: {}\n\n", relay.pass(completed).toString());
        assertTrue(relay.isLast(relay.pass(completed)));
        SseFrame heartbeat = SseFrame.control("heartbeat", "{}");
        assertSame(heartbeat, relay.pass(heartbeat));
        assertFalse(relay.isLast(heartbeat));
    }
}
