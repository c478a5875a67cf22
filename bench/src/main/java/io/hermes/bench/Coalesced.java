package io.hermes.bench;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * {@code webapp/js/coalesce.js} in Java: a loader that runs one request at a time and, when asked again
 * while it runs, exactly once more afterwards, however often it was asked. Runs on a thread of its own.
 */
final class Coalesced {
    /** The load itself; may throw. */
    @FunctionalInterface
    interface Load {
        void run() throws Exception;
    }

    private final Load load;
    private final Consumer<Exception> onFailure;
    private final ExecutorService thread;
    private boolean running;
    private boolean again;
    private long runs;

    Coalesced(String name, Load load, Consumer<Exception> onFailure) {
        this.load = load;
        this.onFailure = onFailure;
        this.thread = Executors.newSingleThreadExecutor(runnable -> {
            Thread worker = new Thread(runnable, name);
            worker.setDaemon(true);
            return worker;
        });
    }

    synchronized void request() {
        if (running) {
            again = true;
            return;
        }
        running = true;
        try {
            thread.execute(this::loop);
        } catch (java.util.concurrent.RejectedExecutionException stopped) {
            running = false; // the run is over; late events ask for nothing
        }
    }

    /** How many times the load ran. */
    synchronized long runs() {
        return runs;
    }

    private void loop() {
        do {
            synchronized (this) {
                again = false;
                runs++;
            }
            try {
                load.run();
            } catch (Exception failed) {
                onFailure.accept(failed);
            }
        } while (takeAgain());
    }

    private synchronized boolean takeAgain() {
        if (again) {
            return true;
        }
        running = false;
        return false;
    }

    /** Lets a running load finish, then stops the thread. */
    void shutdown(long timeoutMillis) throws InterruptedException {
        thread.shutdown();
        thread.awaitTermination(timeoutMillis, TimeUnit.MILLISECONDS);
    }
}
