// The page's one live connection: an EventSource on /events/stream, opened with a short-lived SSE
// token (browsers cannot put the API key in an EventSource header), renewed before it expires without
// losing or repeating an event.
//
// Renewal overlaps two streams: at 80 % of the token's life a new token is fetched and a second
// EventSource opens with `last_event_id` = the last id seen; the old one is closed only when the new one
// says `connected`. While both are open the same event can arrive twice, so every event that carries an
// id is accepted only if its id comes after the last id seen (ids are totally ordered).
//
// Events published without an id (legacy workers doing a plain PUBLISH) cannot be de-duplicated that
// way; they are taken from one stream only, the current primary. One such event published in the instant
// between the new stream's `connected` and the old one's close may be missed; they are not replayable
// anyway, and the next refetch corrects the screen.
//
// Every stream asks for a snapshot of the page's views (`snapshotQuery`): a stream that does not resume
// opens with one `snapshot` event per view, the body its REST endpoint would answer, so the page loads
// nothing itself. A resumed stream replays what was missed instead, or says `resync` with
// `snapshot_follows` and sends the snapshot after it.

import { apiUrl } from './api.js';
import { isAfter } from './event-ids.js';

const CHANNELS = 'download,queue,stats,storage,system';
const TOKEN_TTL_SECONDS = 300;
const RENEW_AT = 0.8;
/** Consecutive failures (a stream that never said `connected`, or died at once) before polling takes over. */
const MAX_FAILURES = 3;
/** A stream that lived at least this long and then ended was a clean end, not a failure. */
const HEALTHY_LIFETIME_MS = 5000;
/**
 * A connection can die without an error (a laptop lid, a proxy that drops the socket silently). The
 * server sends a `heartbeat` every heartbeat_interval seconds, so a stream silent for this many
 * intervals is treated as broken.
 */
const SILENT_INTERVALS = 2.5;
const WATCHDOG_PERIOD_MS = 10000;
/** While the server cannot be reached at all, retry at least this often. */
const UNREACHABLE_MAX_DELAY_MS = 5000;

export const APPLICATION_EVENTS = [
  'download_progress',
  'queue_update',
  'stats_update',
  'storage_update',
  'system_notification',
];

export class LiveStream {
  /**
   * @param {object} options
   * @param {ReturnType<import('./api.js').createApi>} options.api
   * @param {(name: string, data: object, id: string) => void} options.onEvent an application event,
   *        `snapshot` ({view, query, data, error}) or `resync`; `id` is the event's id, '' when it has none
   * @param {() => Record<string, string>} options.snapshotQuery the query parameters asking for the
   *        snapshot of every view the page shows
   * @param {() => void} options.onLive a stream said `connected`
   * @param {() => void} options.onReconnecting
   * @param {(reason: 'disabled'|'busy'|'refused'|'failing', detail?: string) => void} options.onGiveUp
   *        the stream cannot be used; the caller should poll instead. The stream has stopped itself.
   */
  constructor({ api, onEvent, snapshotQuery, onLive, onReconnecting, onGiveUp }) {
    this.api = api;
    this.onEvent = onEvent;
    this.snapshotQuery = snapshotQuery;
    this.onLive = onLive;
    this.onReconnecting = onReconnecting;
    this.onGiveUp = onGiveUp;
    this.running = false;
    // Bumped by start and stop, so an answer that arrives after the page changed its mind is ignored.
    this.epoch = 0;
    this.primary = null;
    this.pending = null;
    this.failures = 0;
    this.unreachableAttempts = 0;
    this.lastSeenId = '';
    this.renewTimer = 0;
    this.retryTimer = 0;
    this.watchdogTimer = 0;
    this.heartbeatSeconds = 30;
  }

  /** The last replayable event id seen, for resuming later. */
  get lastEventId() {
    return this.lastSeenId;
  }

  /**
   * Connects. `resumeFrom` is an event id to replay after; pass '' when the screen was just refetched
   * (after polling, say), so the server does not replay a backlog the page no longer needs.
   */
  start({ resumeFrom = this.lastSeenId } = {}) {
    this.stop();
    this.running = true;
    this.lastSeenId = resumeFrom;
    this.failures = 0;
    this.unreachableAttempts = 0;
    this.connect({ checkHealth: true });
    this.watchdogTimer = setInterval(() => this.checkSilence(), WATCHDOG_PERIOD_MS);
  }

  /** Closes every stream and forgets every timer; safe to call any number of times. */
  stop() {
    this.running = false;
    this.epoch += 1;
    clearTimeout(this.renewTimer);
    clearTimeout(this.retryTimer);
    clearInterval(this.watchdogTimer);
    for (const source of [this.primary, this.pending]) {
      source?.es.close();
    }
    this.primary = null;
    this.pending = null;
  }

  /** Opens a stream: the primary when there is none, otherwise the pending one of a renewal. */
  async connect({ checkHealth }) {
    const epoch = this.epoch;
    try {
      if (checkHealth && !(await this.serverAcceptsStreams(epoch))) {
        return;
      }
      const token = await this.api.post('/events/token', { scope: 'events', ttl: TOKEN_TTL_SECONDS });
      if (epoch !== this.epoch) {
        return;
      }
      this.open(token);
    } catch (error) {
      if (epoch !== this.epoch) {
        return;
      }
      if (error.status === 401) {
        // The key itself was refused; the API client has already told the page to ask for a key.
        this.stop();
      } else if ([400, 403, 404, 422].includes(error.status)) {
        // The server will not hand this key a stream token (an older server without the "events"
        // scope, or a key without read permission): retrying cannot help.
        this.giveUp('refused', error.message);
      } else if (error.status === 0) {
        this.unreachable();
      } else {
        this.failed();
      }
    }
  }

  async serverAcceptsStreams(epoch) {
    const health = await this.api.getPublic('/events/health');
    if (epoch !== this.epoch) {
      return false;
    }
    if (!health?.enabled) {
      this.giveUp('disabled');
      return false;
    }
    if (health.heartbeat_interval > 0) {
      this.heartbeatSeconds = health.heartbeat_interval;
    }
    if (health.max_connections > 0 && health.active_connections >= health.max_connections) {
      this.giveUp('busy');
      return false;
    }
    return true;
  }

  open(token) {
    const query = new URLSearchParams({ channels: CHANNELS, ...this.snapshotQuery(), token: token.token });
    if (this.lastSeenId) {
      query.set('last_event_id', this.lastSeenId);
    }
    const source = {
      es: new EventSource(apiUrl(`/events/stream?${query}`)),
      // The browser repeats the previous id on an event sent without one; remembering it per stream
      // is how an id-less event is told apart from a new id.
      previousId: '',
      connectedAt: 0,
      lastHeardAt: Date.now(),
      ttlSeconds: token.ttl || TOKEN_TTL_SECONDS,
    };
    if (this.primary) {
      // Two connects can race (a renewal and a reconnect); the newer one wins, the older is closed.
      this.pending?.es.close();
      this.pending = source;
    } else {
      this.primary = source;
    }
    source.es.addEventListener('connected', () => this.handleConnected(source));
    source.es.addEventListener('resync', (event) => this.handleResync(source, event));
    source.es.addEventListener('snapshot', (event) => this.handleSnapshot(source, event));
    for (const name of APPLICATION_EVENTS) {
      source.es.addEventListener(name, (event) => this.handleEvent(source, name, event));
    }
    source.es.addEventListener('heartbeat', () => {
      source.lastHeardAt = Date.now();
    });
    source.es.addEventListener('error', () => this.handleError(source));
  }

  handleConnected(source) {
    if (source === this.pending) {
      // The renewal worked: the new stream takes over and the old one can go.
      this.primary?.es.close();
      this.primary = source;
      this.pending = null;
    } else if (source !== this.primary) {
      return;
    }
    source.connectedAt = Date.now();
    source.lastHeardAt = source.connectedAt;
    this.unreachableAttempts = 0;
    clearTimeout(this.renewTimer);
    this.renewTimer = setTimeout(() => this.renew(), source.ttlSeconds * RENEW_AT * 1000);
    // Nothing to refetch: a fresh stream brings its snapshot, a resumed one its replay (or a resync and
    // the snapshot), and a renewal overlapped the stream it replaces.
    this.onLive();
  }

  handleSnapshot(source, event) {
    if (!this.isOpen(source)) {
      return;
    }
    source.lastHeardAt = Date.now();
    // A view's whole current state: it replaces what the page shows, from whichever stream it comes.
    const data = parse(event.data);
    if (data) {
      this.onEvent('snapshot', data, '');
    }
  }

  handleResync(source, event) {
    if (!this.isOpen(source)) {
      return;
    }
    // The id we resumed from is older than the server keeps: only a full refetch is correct now.
    this.onEvent('resync', parse(event.data) ?? {}, '');
  }

  handleEvent(source, name, event) {
    if (!this.isOpen(source)) {
      return;
    }
    source.lastHeardAt = Date.now();
    const id = event.lastEventId;
    const carriesId = id !== '' && id !== source.previousId;
    if (carriesId) {
      source.previousId = id;
      if (!isAfter(id, this.lastSeenId)) {
        return;
      }
      this.lastSeenId = id;
    } else if (source !== this.primary) {
      return;
    }
    const data = parse(event.data);
    if (data) {
      this.onEvent(name, data, carriesId ? id : '');
    }
  }

  handleError(source) {
    if (!this.isOpen(source)) {
      return;
    }
    // The browser would retry on its own, but with the same token, which may have expired: the page
    // reconnects itself, with a fresh token and the last id seen.
    source.es.close();
    if (source === this.pending) {
      this.pending = null;
      if (this.primary) {
        this.failed();
        return;
      }
    } else {
      this.primary = null;
      if (this.pending) {
        this.onReconnecting();
        return;
      }
    }
    const livedLongEnough = source.connectedAt > 0 && Date.now() - source.connectedAt >= HEALTHY_LIFETIME_MS;
    if (livedLongEnough) {
      // A clean end: the stream's lifetime ran out or the server is restarting. A random pause spreads
      // the reconnects of many pages, as the server's jittered `retry:` intends.
      this.failures = 0;
      this.onReconnecting();
      clearTimeout(this.renewTimer);
      this.retryTimer = setTimeout(() => this.connect({ checkHealth: false }), 500 + Math.random() * 2500);
    } else {
      this.failed();
    }
  }

  checkSilence() {
    const source = this.primary;
    const limit = this.heartbeatSeconds * SILENT_INTERVALS * 1000;
    if (source?.connectedAt && Date.now() - source.lastHeardAt > limit) {
      this.handleError(source);
    }
  }

  renew() {
    if (!this.running || this.pending) {
      return;
    }
    this.connect({ checkHealth: false });
  }

  failed() {
    this.failures += 1;
    if (this.primary) {
      // Only a renewal failed; the current stream still works until its token runs out, so keep it
      // and try again.
      this.retryTimer = setTimeout(() => this.renew(), backoff(this.failures));
      return;
    }
    if (this.failures >= MAX_FAILURES) {
      this.giveUp('failing');
      return;
    }
    this.onReconnecting();
    clearTimeout(this.renewTimer);
    this.retryTimer = setTimeout(() => this.connect({ checkHealth: true }), backoff(this.failures));
  }

  /**
   * The server could not be reached at all (network down, server restarting). Polling would fail the
   * same way, so this does not count towards giving up on the stream: the page keeps reconnecting,
   * backing off to one attempt every 5 s, and resumes from the last id once the server answers.
   */
  unreachable() {
    this.unreachableAttempts += 1;
    const delay = backoff(this.unreachableAttempts, UNREACHABLE_MAX_DELAY_MS);
    if (this.primary) {
      this.retryTimer = setTimeout(() => this.renew(), delay);
      return;
    }
    this.onReconnecting();
    clearTimeout(this.renewTimer);
    this.retryTimer = setTimeout(() => this.connect({ checkHealth: true }), delay);
  }

  giveUp(reason, detail) {
    this.stop();
    // Polling refetches everything; resuming from an old id later would only replay a stale backlog.
    this.lastSeenId = '';
    this.onGiveUp(reason, detail);
  }

  isOpen(source) {
    return this.running && (source === this.primary || source === this.pending);
  }
}

/** 1 s, 2 s, 4 s … up to `cap`, with jitter, so pages that failed together do not retry together. */
function backoff(attempts, cap = 30000) {
  const base = 1000 * 2 ** Math.max(0, attempts - 1);
  return Math.min(base, cap) * (0.75 + Math.random() * 0.5);
}

function parse(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
