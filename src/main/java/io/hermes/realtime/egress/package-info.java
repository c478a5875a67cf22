/**
 * Where the worker may reach on the network, and the proxy that holds a child process to it.
 *
 * <p>{@link io.hermes.realtime.egress.AddressPolicy} judges URLs and hosts: http(s) only, and every address
 * public, unless {@code HERMES_ALLOW_PRIVATE_URLS} allows all or {@code HERMES_PRIVATE_URL_ALLOW} lists it.
 * Refusals are {@link io.hermes.realtime.egress.AddressRefused} (a user-facing message and an
 * {@code error_type}). The worker asks it for its own transfers; for yt-dlp, which fetches pages, manifests,
 * segments, subtitles and thumbnails of its own, {@link io.hermes.realtime.egress.EgressProxy} asks it for
 * every connection the child makes: the child is started with {@code --proxy} naming a per-job
 * {@link io.hermes.realtime.egress.EgressProxy.Pass}. The proxy resolves a host once, judges every address and
 * connects to exactly those, so DNS rebinding cannot slip between the check and the connection.
 * {@link io.hermes.realtime.egress.EgressModule} builds both from the settings.
 *
 * <p>What the proxy serves: {@code CONNECT host:port} (a tunnel, bytes both ways) and absolute-form
 * {@code GET}, {@code HEAD} and {@code POST} of {@code http://} URLs, each with {@code Proxy-Authorization}
 * naming a live pass (else 407). One request per client connection: it goes to the origin in origin form with
 * {@code Connection: close}, and a byte more from the client ends the connection, so a second request cannot
 * reach another host. A refused host is a 403 naming the reason, recorded on the pass
 * ({@link io.hermes.realtime.egress.EgressProxy.Pass#refusal()}); a name that does not resolve or an origin
 * that does not answer is a 502 (504 for a connect timeout); anything else is a 400.
 *
 * <p>Threads, all made by the factory given to the proxy ({@code hermes-egress-N}) and all ended and waited
 * for by {@link io.hermes.realtime.egress.EgressProxy#close()}: one accepting thread, which also closes idle
 * connections (it wakes at least once a second for that), and a pool of plain blocking threads, two per
 * relayed connection at most (one per direction). Limits: {@code maxConnections} client connections at once
 * (one more gets 503 and is closed), so at most twice as many pool threads; a request head of 16 KiB that
 * must arrive within 10 s (else 400); a connect timeout per address of the origin; an idle timeout after which
 * a connection that moved no byte either way is closed, even one stuck writing to a peer that stopped reading.
 *
 * <p>Limits, stated plainly: the proxy sees only what the child sends through it. A child that ignores
 * {@code --proxy} for some request (another protocol, a helper it starts with a clean environment) is not held
 * by it; only an egress firewall holds every process. Inside a CONNECT tunnel the proxy sees bytes, not URLs:
 * it judges the host and port, and any port of a public host may be reached, as with the worker's own
 * transfers.
 */
package io.hermes.realtime.egress;
