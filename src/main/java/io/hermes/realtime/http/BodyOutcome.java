package io.hermes.realtime.http;

import java.io.IOException;

/**
 * What {@link ApiServlet} does once a request body's fate is known. Exactly one method is called, once,
 * on whichever container thread settled it.
 */
interface BodyOutcome {
    /** The whole body arrived (or there was none to wait for): run the method's handler. */
    void received() throws IOException;

    /** The body was refused or could not be read: answer {@code why}. */
    void refused(ApiException why) throws IOException;
}
