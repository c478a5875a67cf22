package io.hermes.realtime.stream;

/**
 * Thrown by a route when the stream asked for has nothing more to send, ever (a download that ended, whose end
 * this client was shown): the answer is 204, which tells an {@code EventSource} to stop reconnecting.
 */
final class StreamOver extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StreamOver(String why) {
        super(why, null, false, false);
    }
}
