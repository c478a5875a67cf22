package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RedisMemoryTest {

    @Test
    void usedAndMaximumAreReadFromInfoMemory() {
        RedisMemory.Sample sample = RedisMemory.parse("# Memory\r\nused_memory:1048576\r\nused_memory_human:1.00M\r\n"
                + "used_memory_rss:9000000\r\nmaxmemory:4294967296\r\nmaxmemory_human:4.00G\r\n"
                + "maxmemory_policy:noeviction\r\n");
        assertEquals(1048576, sample.usedBytes());
        assertEquals(4294967296.0, sample.maxBytes());
    }

    @Test
    void noLimitIsZeroAndAMissingFieldIsUnknown() {
        RedisMemory.Sample sample = RedisMemory.parse("# Memory\nmaxmemory:0\n");
        assertEquals(0, sample.maxBytes());
        assertTrue(Double.isNaN(sample.usedBytes()));
    }
}
