package io.hermes.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class CoalescedTest {
    @Test
    void requestsDuringARunCauseExactlyOneMoreRun() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Coalesced loader = new Coalesced("test-loader", () -> {
            if (runs.incrementAndGet() == 1) {
                started.countDown();
                assertTrue(release.await(5, TimeUnit.SECONDS));
            }
        }, failure -> { });
        loader.request();
        assertTrue(started.await(5, TimeUnit.SECONDS));
        loader.request();
        loader.request();
        loader.request();
        release.countDown();
        loader.shutdown(5000);
        assertEquals(2, runs.get());
        assertEquals(2, loader.runs());
    }

    @Test
    void aFailedLoadIsReportedAndTheLoaderStaysUsable() throws Exception {
        CountDownLatch failed = new CountDownLatch(1);
        CountDownLatch second = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        Coalesced loader = new Coalesced("test-loader", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new IllegalStateException("boom");
            }
            second.countDown();
        }, failure -> failed.countDown());
        loader.request();
        assertTrue(failed.await(5, TimeUnit.SECONDS));
        // Whether the failed run has returned yet or not, asking again leads to one more run.
        loader.request();
        assertTrue(second.await(5, TimeUnit.SECONDS));
        loader.shutdown(5000);
    }
}
