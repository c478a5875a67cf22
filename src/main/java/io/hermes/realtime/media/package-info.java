/**
 * Media: yt-dlp as a child process, and what this server asks of it besides downloads.
 *
 * <p>The pieces: {@link io.hermes.realtime.media.YtDlp} (the executable, found once; every run's fixed options,
 * the URL last after {@code --}), {@link io.hermes.realtime.media.ChildProcess} (one run: its output as lines,
 * the tail of its errors, a kill of its whole process tree), {@code MediaProcesses} (every child and the threads
 * reading them), {@link io.hermes.realtime.media.ProxyLease} (a run's way out through the egress proxy, which
 * holds the private-address policy), {@link io.hermes.realtime.media.YtDlpErrors} (yt-dlp's last error, made
 * fit for a client). The worker downloads with them; {@code GET /info} and {@code GET /formats} read a URL with
 * them: {@code Extraction} (one {@code yt-dlp -J --flat-playlist} run), {@code InfoCache} (answers kept in
 * memory, runs shared and bounded), {@code VideoInfo} and {@code FormatInfo} (the answers), {@code InfoServlet}
 * and {@code FormatsServlet}.
 *
 * <p>Threads: {@code hermes-media-io-N}, two per running child, owned by {@code MediaProcesses} and ended with
 * it. Nothing else here starts a thread: an extraction runs on the request's container thread, a download on
 * the worker's.
 */
package io.hermes.realtime.media;
