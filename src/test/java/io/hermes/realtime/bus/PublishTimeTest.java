package io.hermes.realtime.bus;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hermes.realtime.json.Timestamps;
import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PublishTimeTest {

    @Test
    void theContractsFormIsReadToTheMillisecond() {
        Random random = new Random(8);
        for (int i = 0; i < 10_000; i++) {
            // 1970 to 2100, leap days and year ends included by chance
            Instant instant = Instant.ofEpochMilli((long) (random.nextDouble() * 4_102_444_800_000L));
            String text = Timestamps.format(instant);
            assertEquals(instant.toEpochMilli(), PublishTime.epochMillis(text), text);
        }
    }

    @ParameterizedTest
    @CsvSource({
            "2026-11-22T10:00:00.123+00:00, 2026-11-22T10:00:00.123Z",
            "2026-11-22T11:00:00.123456+01:00, 2026-11-22T10:00:00.123Z",
            "2026-11-22T10:00:00Z, 2026-11-22T10:00:00Z",
            "2026-11-22T10:00:00.5, 2026-11-22T10:00:00.500Z",
            "2024-02-29T23:59:59.999Z, 2024-02-29T23:59:59.999Z"})
    void otherIsoFormsAWorkerMaySendAreReadToo(String timestamp, String expected) {
        assertEquals(Instant.parse(expected).toEpochMilli(), PublishTime.epochMillis(timestamp));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "t", "yesterday", "2026-13-01T00:00:00.000Z", "2026-02-30T00:00:00.000Z",
            "2026-11-22T24:00:00.000Z", "2026-11-22T10:00:00.12xZ", "1700000000"})
    void anUnreadableTimestampIsUnknownNotAnError(String timestamp) {
        assertEquals(PublishTime.UNKNOWN, PublishTime.epochMillis(timestamp));
    }

    @Test
    void noTimestampIsUnknown() {
        assertEquals(PublishTime.UNKNOWN, PublishTime.epochMillis(null));
    }
}
