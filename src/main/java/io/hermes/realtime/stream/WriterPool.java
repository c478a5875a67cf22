package io.hermes.realtime.stream;

import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The {@code hermes-sse-writer} threads that drain connection queues into sockets. Drains never block
 * (writes are non-blocking), so a handful of threads serve every stream.
 */
final class WriterPool implements Executor, AutoCloseable {
    private final ExecutorService threads;

    public WriterPool(int size, ThreadFactory factory) {
        this.threads = Executors.newFixedThreadPool(size, factory);
    }

    @Override
    public void execute(Runnable drain) {
        threads.execute(drain);
    }

    /** Lets queued drains finish for up to 5 s, then interrupts the rest and waits for them. */
    @Override
    public void close() throws InterruptedException {
        threads.shutdown();
        if (!threads.awaitTermination(5, TimeUnit.SECONDS)) {
            threads.shutdownNow();
            threads.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
