package io.hermes.realtime.stream;

import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The {@code hermes-sse-writer} threads that drain connection queues into sockets. Drains never block
 * (writes are non-blocking), so a handful of threads serve every stream.
 *
 * <p>A broadcast hands one drain per stream to this pool: a thousand tasks per event at a thousand
 * streams. A fork-join pool in FIFO mode takes them without a lock shared by the submitting thread and
 * every writer, and without allocating a queue node per task (a fixed thread pool's
 * {@code LinkedBlockingQueue} does both).
 */
public final class WriterPool implements Executor, AutoCloseable {
    private final ForkJoinPool threads;

    public WriterPool(int size, String namePrefix) {
        AtomicInteger counter = new AtomicInteger();
        ForkJoinPool.ForkJoinWorkerThreadFactory factory = pool -> {
            ForkJoinWorkerThread thread = new WriterThread(pool);
            thread.setName(namePrefix + "-" + counter.incrementAndGet());
            return thread;
        };
        this.threads = new ForkJoinPool(size, factory, null, true);
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

    /** Only so the pool can make threads with our names: ForkJoinWorkerThread's constructor is protected. */
    private static final class WriterThread extends ForkJoinWorkerThread {
        WriterThread(ForkJoinPool pool) {
            super(pool);
        }
    }
}
