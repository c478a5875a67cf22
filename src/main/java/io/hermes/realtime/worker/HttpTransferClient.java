package io.hermes.realtime.worker;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/**
 * The worker's {@link HttpClient}, with an executor of ours ({@code hermes-http-N}) so its threads stop
 * with the application. Redirects are never followed by the client: {@link HttpTransfer} follows them
 * itself, checking every hop's address. On Java 21+ the client itself is closed too; on Java 17 its
 * selector thread ends once the client is garbage (the JDK offers no way to stop it earlier).
 */
final class HttpTransferClient implements AutoCloseable {
    private final ExecutorService executor;
    private final HttpClient client;

    HttpTransferClient(Duration connectTimeout, ThreadFactory threads) {
        this.executor = Executors.newCachedThreadPool(threads);
        // The client starts its selector thread here, and a thread inherits its creator's context class
        // loader: the webapp's, which that thread would pin after undeploy until the client is garbage
        // (Tomcat reports it as a leak). The selector needs no class of ours, so it gets the platform's.
        Thread current = Thread.currentThread();
        ClassLoader creator = current.getContextClassLoader();
        current.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            this.client = HttpClient.newBuilder()
                    .followRedirects(HttpClient.Redirect.NEVER)
                    .connectTimeout(connectTimeout)
                    .executor(executor)
                    .build();
        } finally {
            current.setContextClassLoader(creator);
        }
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        if (client instanceof AutoCloseable closeable) {
            closeable.close();
        }
        executor.shutdownNow();
        executor.awaitTermination(5, TimeUnit.SECONDS);
    }
}
