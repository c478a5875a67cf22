/**
 * Storage: {@code GET /storage} and the {@link io.hermes.realtime.storage.StorageUsage} others read
 * ({@code /stats} shows its download directory size; the worker calls
 * {@link io.hermes.realtime.storage.StorageUsage#invalidate()} when files change).
 *
 * <p>Disk space is read on each request; directory walks are cached for 30 s (see
 * {@code DiskUsage}). Walks run on the request thread that finds the cache stale, one at a time.
 */
package io.hermes.realtime.storage;
