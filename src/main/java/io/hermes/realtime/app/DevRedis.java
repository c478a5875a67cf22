package io.hermes.realtime.app;

import java.net.URI;

/**
 * A Redis server started for a development run when no {@code HERMES_REDIS_URL} is set. The only
 * implementation lives in the test classpath ({@code mvn jetty:run} puts it on the class path); a
 * packaged WAR has none and uses the default URL.
 */
public interface DevRedis extends AutoCloseable {
    /** Starts the server and returns its URL. */
    URI start() throws Exception;

    /** Stops the server; never throws. */
    @Override
    void close();
}
