package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class WrkResultTest {
    private static final String OUTPUT = """
            Running 3s test @ http://127.0.0.1:18080/api/v1/stats?period=week
              2 threads and 16 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     7.09ms    6.06ms   1.20s    87.96%
                Req/Sec     1.28k   345.34     1.84k    58.33%
              Latency Distribution
                 50%  572.00us
                 75%    8.35ms
                 90%   12.80ms
                 99%   34.76ms
              7668 requests in 3.01s, 11.83MB read
              Socket errors: connect 0, read 2, write 0, timeout 3
              Non-2xx or 3xx responses: 12
            Requests/sec:   2544.94
            Transfer/sec:      3.93MB
            """;

    @Test
    void readsTotalsLatenciesAndErrorsInTheirUnits() {
        WrkResult result = WrkResult.parse(OUTPUT);
        assertEquals(7668, result.requests());
        assertEquals(3.01, result.seconds(), 1e-9);
        assertEquals(11.83 * 1024 * 1024, result.bytesRead(), 1e-3);
        assertEquals(2544.94, result.requestsPerSecond(), 1e-9);
        assertEquals(7.09, result.latencyAvgMs(), 1e-9);
        assertEquals(1200.0, result.latencyMaxMs(), 1e-9);
        assertEquals(0.572, result.p50Ms(), 1e-9);
        assertEquals(8.35, result.p75Ms(), 1e-9);
        assertEquals(12.80, result.p90Ms(), 1e-9);
        assertEquals(34.76, result.p99Ms(), 1e-9);
        assertEquals(12, result.non2xx3xx());
        assertEquals(5, result.socketErrors());
        assertEquals(11.83 * 1024 * 1024 / 7668, result.bytesPerResponse(), 1e-6);
    }

    @Test
    void errorLinesAreOptional() {
        String clean = OUTPUT.replaceAll("(?m)^.*(Socket errors|Non-2xx).*\\n", "");
        WrkResult result = WrkResult.parse(clean);
        assertEquals(0, result.non2xx3xx());
        assertEquals(0, result.socketErrors());
    }

    @Test
    void insistsOnTheLatencyDistribution() {
        String without = OUTPUT.replaceAll("(?m)^\\s+\\d\\d%.*\\n", "");
        assertThrows(IllegalArgumentException.class, () -> WrkResult.parse(without));
    }
}
