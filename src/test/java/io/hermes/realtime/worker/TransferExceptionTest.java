package io.hermes.realtime.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class TransferExceptionTest {
    @Test
    void sizesReadAsBinaryUnitsWithOneDecimal() {
        assertEquals("File exceeds the 10.0 MiB limit", TransferException.tooLarge(10 * 1024 * 1024).getMessage());
        assertEquals("1.5 GiB", TransferException.bytes(1536L * 1024 * 1024));
        assertEquals("1000 bytes", TransferException.bytes(1000));
        assertEquals("1 byte", TransferException.bytes(1));
        assertEquals("1.0 KiB", TransferException.bytes(1024));
    }

    @Test
    void durationsReadInTheirShortestExactUnit() {
        assertEquals("No data received for 30 s", TransferException.idle(Duration.ofSeconds(30)).getMessage());
        assertEquals("250 ms", TransferException.duration(Duration.ofMillis(250)));
        assertEquals("90 s", TransferException.duration(Duration.ofSeconds(90)));
        assertEquals("5 min", TransferException.duration(Duration.ofMinutes(5)));
        assertEquals("6 h", TransferException.duration(Duration.ofHours(6)));
    }

    @Test
    void httpErrorsNameStatusReasonAndHost() {
        assertEquals("HTTP 404 Not Found from example.com", TransferException.httpStatus(404, "example.com").getMessage());
        assertEquals("HTTP 599 from example.com", TransferException.httpStatus(599, "example.com").getMessage());
    }

    @Test
    void anUnknownErrorTypeIsAProgrammingError() {
        assertThrows(IllegalArgumentException.class, () -> new TransferException("oops", "message"));
    }

    @Test
    void limitsRejectNonsense() {
        Duration second = Duration.ofSeconds(1);
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(0, second, second, second, 5));
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(1, Duration.ZERO, second, second, 5));
        assertThrows(IllegalArgumentException.class, () -> new TransferLimits(1, second, second, second, -1));
    }
}
