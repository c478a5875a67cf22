package io.hermes.realtime.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class Sha256Test {
    private static final String ABC = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2, "abc"

    private static String hex(String text) {
        return HexFormat.of().formatHex(Sha256.digest(text.getBytes(StandardCharsets.US_ASCII)));
    }

    @Test
    void digestsTheStandardTestVector() {
        assertEquals(ABC, hex("abc"));
        assertEquals(ABC, hex("abc"), "a second call starts from a fresh digest, not from the first one's state");
    }

    @Test
    void threadsDigestingAtOnceDoNotDisturbEachOther() throws Exception {
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                results.add(threads.submit(() -> hex("abc")));
            }
            for (Future<String> result : results) {
                assertEquals(ABC, result.get());
            }
        } finally {
            threads.shutdownNow();
        }
    }
}
