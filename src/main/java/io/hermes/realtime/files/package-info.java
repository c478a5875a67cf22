/**
 * Files: the files completed downloads left in the download directory, as the upstream web app reads,
 * fetches and deletes them ({@code /files}, {@code /files/download}).
 *
 * <p>A file is the caller's when a completed download the caller may see names it ({@code files}, else
 * {@code file_path}, relative to the download directory) and it is a regular file whose real path, links
 * followed, lies inside the download directory's ({@code ManagedFiles}, {@code DownloadDirectory}). Every
 * other path answers 404 alike. Bytes go out through a {@code WriteListener} ({@code FileBody}), so a slow
 * client holds no container thread; lookups walk the caller's history of completed downloads, newest first,
 * bounded by {@code HERMES_FILES_SCAN_LIMIT}.
 */
package io.hermes.realtime.files;
