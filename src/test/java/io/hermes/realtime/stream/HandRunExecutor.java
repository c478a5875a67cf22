package io.hermes.realtime.stream;

import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;

/** Writer threads that run queued tasks only when the test says so; can refuse work like a pool shutting down. */
final class HandRunExecutor implements Executor {
    private final Queue<Runnable> tasks = new ArrayDeque<>();
    private boolean rejecting;

    @Override
    public void execute(Runnable task) {
        if (rejecting) {
            throw new RejectedExecutionException("shut down");
        }
        tasks.add(task);
    }

    /** Runs every queued task, and those they queue, on the test's thread. */
    void runAll() {
        Runnable task;
        while ((task = tasks.poll()) != null) {
            task.run();
        }
    }

    /** Tasks queued and not run yet. */
    int pending() {
        return tasks.size();
    }

    /** From now on refuses every task, as a pool that was shut down does. */
    void rejectFromNow() {
        rejecting = true;
    }
}
