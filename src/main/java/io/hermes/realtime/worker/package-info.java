/**
 * The built-in worker's HTTP transfer engine: one call to {@link io.hermes.realtime.worker.HttpTransfer#run}
 * downloads one URL into the download directory.
 *
 * <p>The pieces: {@link io.hermes.realtime.egress.AddressPolicy} (package {@code egress}: which URLs may be
 * fetched, checked on every redirect hop; its refusals become {@code TransferException}s of the same type),
 * {@link io.hermes.realtime.worker.TransferLimits} (size, timeouts, redirects),
 * {@link io.hermes.realtime.worker.SafeFileNames} (hostile names made safe; a name no other file has),
 * {@link io.hermes.realtime.worker.TransferListener} (start and progress, on the caller's thread), and the
 * outcomes {@link io.hermes.realtime.worker.TransferResult},
 * {@link io.hermes.realtime.worker.TransferException} (user-facing message and {@code error_type}) and
 * {@link io.hermes.realtime.worker.TransferCancelledException}.
 *
 * <p>Threads: this package starts none. A transfer runs on its caller's thread, which never waits on the
 * network for more than 50 ms at a time, so cancels, deadlines and interrupts take effect promptly. The
 * caller owns the {@code HttpClient} and its threads. The worker loop, Redis and events live elsewhere.
 */
package io.hermes.realtime.worker;
