package io.hermes.bench;

/** The server sent something that is not valid HTTP/1.1 framing; the client is counted as failed. */
final class MalformedResponseException extends RuntimeException {
    MalformedResponseException(String message) {
        super(message);
    }
}
