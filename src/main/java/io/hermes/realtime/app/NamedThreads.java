package io.hermes.realtime.app;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Names every thread we start ({@code hermes-…}), so a thread dump and the leak test can tell them apart,
 * and remembers them until they have ended, so that undeploying can wait for the last one.
 */
final class NamedThreads implements ThreadFactory {
    private final String prefix;
    private final AtomicInteger counter = new AtomicInteger();
    /** Threads made here that may still be running; ended ones are dropped whenever a new one is made. */
    private final Set<Thread> made = ConcurrentHashMap.newKeySet();

    NamedThreads(String prefix) {
        this.prefix = prefix;
    }

    @Override
    public Thread newThread(Runnable task) {
        made.removeIf(thread -> !thread.isAlive());
        Thread thread = new Thread(task, prefix + "-" + counter.incrementAndGet());
        thread.setDaemon(true);
        made.add(thread);
        return thread;
    }

    /**
     * Waits, at most {@code limit}, until every thread made here has ended. An executor reports itself
     * terminated from inside its last thread, a moment before that thread ends; a container that looks for
     * leftover threads right after undeploy would otherwise see it.
     */
    boolean awaitEnded(Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        for (Thread thread : made) {
            long leftMillis = (deadline - System.nanoTime()) / 1_000_000;
            if (leftMillis <= 0) {
                return false;
            }
            thread.join(leftMillis);
        }
        return made.stream().noneMatch(Thread::isAlive);
    }
}
