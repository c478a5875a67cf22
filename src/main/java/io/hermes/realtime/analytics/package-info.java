/**
 * Analytics: {@code GET /stats}, {@code /timeline}, {@code /timeline/summary} and {@code /history}.
 *
 * <p>Read-only. Every figure comes from the per-day counter hashes {@code hermes:stats:{all|owner:O}:{day}}
 * ({@link io.hermes.realtime.analytics.DayStatsReader}, one pipelined round trip per request, at most
 * 366 days) and the history ZSETs plus download records ({@link io.hermes.realtime.analytics.HistoryReader});
 * see the data model in {@code io.hermes.realtime.downloads}. Nothing here scans all downloads. An admin
 * sees the {@code all} counters and the global history, anyone else only their owner's. Days are UTC
 * calendar days and "today" is the UTC date of the injected clock.
 *
 * <p>Request thread only: no threads, no state between requests. Every GET answers through
 * {@link io.hermes.realtime.polling.PolledResponses} with the version of the history data set (bumped when a
 * download ends or is deleted) and today's date in the key, so an unchanged report costs one read of
 * that version for a 304; {@code /stats} also keys on the download directory's size, which is not in Redis.
 */
package io.hermes.realtime.analytics;
