package io.hermes.realtime.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hermes.realtime.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ControlFramesTest {
    private final Clock clock = Clock.fixed(Instant.parse("2026-11-22T13:14:15.678Z"), ZoneOffset.UTC);
    private final Json json = new Json();
    private final ControlFrames frames = new ControlFrames(json, clock);

    @Test
    void connectedIsWhatTheJsonLibraryWouldHaveWritten() {
        String id = UUID.randomUUID().toString();
        Map<String, Object> expected = new LinkedHashMap<>();
        expected.put("connection_id", id);
        expected.put("timestamp", "2026-11-22T13:14:15.678Z");

        String wire = new String(frames.connected(id).bytes(), StandardCharsets.UTF_8);

        assertEquals("event: connected\ndata: " + json.write(expected) + "\n\n", wire);
    }

    @Test
    void connectedDataParsesAsTheContractShape() throws Exception {
        String wire = new String(frames.connected("0f8a1c2e-0000-4000-8000-00000000abcd").bytes(), StandardCharsets.UTF_8);
        String data = wire.substring(wire.indexOf("data: ") + 6, wire.indexOf("\n\n"));

        Map<?, ?> parsed = new ObjectMapper().readValue(data, Map.class);

        assertEquals(Map.of("connection_id", "0f8a1c2e-0000-4000-8000-00000000abcd",
                "timestamp", "2026-11-22T13:14:15.678Z"), parsed);
    }

    @Test
    void anIdThatWouldNeedEscapingIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> frames.connected("a\"b"));
        assertThrows(IllegalArgumentException.class, () -> frames.connected(""));
    }
}
