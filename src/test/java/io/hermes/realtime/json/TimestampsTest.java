package io.hermes.realtime.json;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class TimestampsTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void writesTheContractsForm() {
        assertEquals("2026-11-22T10:00:00.123Z", Timestamps.format(Instant.parse("2026-11-22T10:00:00.123456789Z")));
        assertEquals("2026-01-02T03:04:05.006Z", Timestamps.format(Instant.parse("2026-01-02T03:04:05.006Z")));
        assertEquals("1970-01-01T00:00:00.000Z", Timestamps.format(Instant.EPOCH));
        assertEquals("0999-12-31T23:59:59.999Z", Timestamps.format(Instant.parse("0999-12-31T23:59:59.999999Z")));
    }

    @Test
    void agreesWithTheStandardFormatterEverywhere() {
        SplittableRandom random = new SplittableRandom(7);
        long latest = Instant.parse("9999-12-31T23:59:59.999999999Z").getEpochSecond();
        long earliest = Instant.parse("0000-01-01T00:00:00Z").getEpochSecond();
        for (int i = 0; i < 100_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(earliest, latest + 1), random.nextInt(1_000_000_000));
            assertEquals(REFERENCE.format(instant), Timestamps.format(instant), instant.toString());
        }
    }

    @Test
    void yearsBeyondFourDigitsFallBackToTheStandardFormatter() {
        Instant farFuture = Instant.parse("+10000-01-01T00:00:00Z");
        assertEquals(REFERENCE.format(farFuture), Timestamps.format(farFuture));
        Instant beforeYearZero = Instant.parse("-0001-06-01T00:00:00Z");
        assertEquals(REFERENCE.format(beforeYearZero), Timestamps.format(beforeYearZero));
    }
}
