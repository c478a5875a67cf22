/**
 * Polled views: the GET endpoints that dashboards ask again every few seconds ({@code /queue},
 * {@code /stats}, {@code /timeline}, {@code /timeline/summary}, {@code /history}, {@code /notifications})
 * answered from a version of their data rather than from their body.
 *
 * <h2>The validator</h2>
 * {@code hermes:views} is a Redis hash with one version per {@link io.hermes.realtime.polling.DataSet}:
 * {@code downloads}, {@code history}, {@code notifications}. Every write that changes what a view of a
 * data set shows increments that version in the same MULTI or Lua script ({@code bump.lua} here; the
 * scripts of the downloads package carry the same lines), so no reader can see the new data under the
 * old version. A request reads the version first (one {@code HGET}), then derives a strong ETag from the
 * build of the WAR, the version and the {@link io.hermes.realtime.polling.ViewKey}: the view, the
 * caller's owner scope, the normalised query and whatever else the body depends on that Redis does not
 * version (today's date for reports that end today, the download directory's size for {@code /stats}).
 * A matching {@code If-None-Match} is answered 304 without reading anything else.
 *
 * <h2>Rendered bodies</h2>
 * Each instance keeps the bodies it rendered, by identity, within {@code HERMES_POLL_CACHE_BYTES}, so a
 * 200 for unchanged data costs the same single read. Safe with several instances: the version lives in
 * Redis, so a write on any instance gives every view a new identity everywhere.
 *
 * <h2>Who builds a body</h2>
 * Each view's {@link io.hermes.realtime.polling.PolledView} validates the query and lists the values of its
 * key; its body is what the servlet hands to {@link io.hermes.realtime.polling.PolledResponses#respond}. An
 * event stream's {@code ?snapshot=} reads the same body from the same {@code PolledView}, afresh and not
 * through this package: a stream has no {@code If-None-Match} to answer.
 *
 * <h2>Limits</h2>
 * A process that changes these data sets without bumping their version (a hand-edited record, a worker
 * that writes keys directly instead of running our scripts) leaves polled views stale until the next
 * bump. Versions start at Redis's clock in microseconds, so a Redis that lost its data does not count
 * through the numbers it had; a missing version is answered by hashing the body, as before this package.
 * {@code /storage} and {@code /download/{id}} are not here: disk usage changes without any write to
 * Redis, and one download's ETag must not answer 304 to a caller who may not see it.
 */
package io.hermes.realtime.polling;
