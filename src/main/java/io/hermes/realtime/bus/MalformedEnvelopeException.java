package io.hermes.realtime.bus;

/** A message on a channel that is not a usable envelope. Logged and skipped, never fatal. */
final class MalformedEnvelopeException extends Exception {
    MalformedEnvelopeException(String message) {
        super(message, null, false, false);
    }
}
