/**
 * Downloads: the store, the built-in worker and the download/queue endpoints.
 *
 * <h2>Redis data model</h2>
 * Everything is under {@code hermes:} except the contract's {@code download:{id}:progress}.
 * <pre>
 * hermes:download:{id}                           HASH  the record (fields below)
 * hermes:downloads                               ZSET  every id, score = created_at epoch ms
 * hermes:downloads:owner:{owner}                 ZSET  one owner's ids, score = created_at ms
 * hermes:downloads:status:{status}               ZSET  ids in a status (all owners), score = created_at ms
 * hermes:downloads:owner:{owner}:status:{status} ZSET  the same for one owner
 * hermes:history                                 ZSET  terminal ids, score = completed_at ms
 * hermes:history:owner:{owner}                   ZSET  the same for one owner
 * hermes:stats:all:{YYYY-MM-DD}                  HASH  per-day counters of terminal downloads (UTC day of completed_at)
 * hermes:stats:owner:{owner}:{YYYY-MM-DD}        HASH  the same for one owner
 *     total, completed, failed, cancelled, bytes (sum of file_size of completed),
 *     duration_ms (sum of transfer time of completed), extractor:{name}, error:{type}, hour:{HH}
 * hermes:queue:pending                           LIST  ids waiting for a worker (LPUSH; claimed from the right)
 * hermes:queue:leases                            ZSET  ids being transferred, score = lease expiry ms
 * download:{id}:progress                         STRING progress snapshot (contract section 5), TTL 3600
 * hermes:views                                   HASH  versions of polled views (see io.hermes.realtime.polling):
 *     downloads (bumped by every write here), history (by a download ending, or a deletion)
 * </pre>
 * Record fields (all strings; an absent field reads as null): {@code id, owner, url, status, format,
 * output_template, download_subtitles, download_thumbnail, subtitle_languages} (JSON array),
 * {@code output_directory, metadata} (JSON), {@code priority, batch_id, created_at, started_at,
 * completed_at} (ISO-8601), {@code message, error, error_type, current_filename, progress} (JSON
 * {@code {percentage, status, downloaded_bytes, total_bytes, speed, eta}}), {@code title, file_size,
 * duration} (seconds), {@code extractor} (the URL's host), {@code thumbnail_url, description, file_path}
 * (relative to the download directory), {@code files} (a JSON array of paths relative to the download
 * directory, the main file first, then subtitles, thumbnail…, as an engine that leaves several files writes
 * it; when present it names the download's files, else {@code file_path} does), and the worker's
 * bookkeeping: {@code created_ms, started_ms} (epoch ms), {@code attempts} (claims so far),
 * {@code transfer_ms} (time the transfer took). Deleting one of a download's files ({@code DELETE /files},
 * {@code forget_file.lua}) removes it from {@code files} and {@code file_path}; nothing else changes.
 *
 * <h2>Status changes</h2>
 * Every change runs in one Lua script ({@code transition.lua}, {@code claim.lua}, {@code recover.lua}
 * next to this package's classes): the status indexes, the history and the per-day counters move
 * together with the versions in {@code hermes:views}, and a download that reached completed, failed or
 * cancelled is never changed again. These scripts build key names from the record, so they assume one
 * Redis server, not a cluster.
 */
package io.hermes.realtime.downloads;
