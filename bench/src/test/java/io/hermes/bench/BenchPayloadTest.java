package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

class BenchPayloadTest {
    @Test
    void readsSeqAndMicrosecondTimestampWhateverTheFieldOrder() {
        assertEquals(new BenchPayload(4, 1_700_000_000_000_123L), BenchPayload.parse(
                "{\"padding\":\"xx\",\"nested\":{\"seq\":9},\"sent_at_us\":1700000000000123,\"seq\":4}"));
    }

    @Test
    void convertsNanosecondAndMillisecondTimestampsToMicroseconds() {
        assertEquals(new BenchPayload(1, 2_000), BenchPayload.parse("{\"seq\":1,\"sent_at_nanos\":2000999}"));
        assertEquals(new BenchPayload(1, 5_000), BenchPayload.parse("{\"seq\":1,\"sent_at_ms\":5}"));
    }

    @Test
    void ignoresAQueueUpdateThatIsNotFromTheBenchmark() {
        assertNull(BenchPayload.parse("{\"action\":\"added\",\"download_id\":\"d1\",\"status\":\"queued\"}"));
        assertNull(BenchPayload.parse("not json"));
    }
}
