package io.hermes.realtime.worker;

/**
 * The transfer stopped because its cancellation flag was raised. It is not a failure: the worker records the
 * download as cancelled, and the partial file is already gone.
 */
class TransferCancelledException extends Exception {
    TransferCancelledException() {
        super("Cancelled", null, false, false);
    }
}
