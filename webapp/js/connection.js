// Decides how the page learns about changes: the live stream when the server offers one, polling when
// it does not, nothing while the device is offline. It reports one of four states for the indicator:
//   live          the stream is connected; nothing is polled, views refetch only when an event says so.
//                 The stream may be another tab's (shared-stream.js): the indicator says whose
//   reconnecting  connecting, or reconnecting after the stream ended (renewals do not show here);
//                 also while the server cannot be reached at all, since polling would fail as well
//   polling       SSE is disabled, refused, or failed 3 times in a row while the server answers;
//                 /events/health is re-checked every 30 s and the stream tried again once it is enabled
//   offline       navigator.onLine is false; everything waits for the "online" event

import { LiveStream } from './live-stream.js';
import { Poller } from './poller.js';
import { SharedStream, sharingAvailable } from './shared-stream.js';

const SECOND = 1000;
// The intervals the previous polling client used, so a server sees the same load from either.
const QUEUE_ACTIVE_MS = 2 * SECOND;
const QUEUE_QUEUED_MS = 10 * SECOND;
const IDLE_MS = 30 * SECOND;
const STORAGE_MS = 60 * SECOND;
const HEALTH_RECHECK_MS = 30 * SECOND;
// Right after the user adds or changes downloads, queued ones are about to start: watch them closely.
const JUST_CHANGED_MS = 15 * SECOND;

const LIVE_DETAILS = {
  own: 'Changes appear as they happen.',
  holder: 'Changes appear as they happen. The other tabs of this browser share this tab\'s live connection.',
  shared: 'Changes appear as they happen, through the live connection another tab of this browser holds.',
};

const POLLING_REASONS = {
  disabled: 'Live updates are turned off on this server, so the page checks for changes itself.',
  busy: 'The server has no room for another live connection, so the page checks for changes itself.',
  refused: 'The server refused a live connection, so the page checks for changes itself.',
  failing: 'The live connection kept failing, so the page checks for changes itself.',
};

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {object} options.refresh loaders that fetch and render one part of the page each:
 *        queue() resolves with the queue counts, stats(), timeline(), storage(), notifications(), all()
 * @param {(name: string, data: object, id: string) => void} options.onEvent a live event (or a view's
 *        snapshot) to apply, with its id ('' when it has none)
 * @param {() => Record<string, string>} options.snapshotQuery what the stream asks to open with: the
 *        snapshot of every view, so the page loads none of them itself while it is live
 * @param {() => string} options.account who the page shows (tabs showing the same share one stream)
 * @param {(state: string, detail: string, stream: string) => void} options.onState `stream` says whose
 *        stream: 'own' (this tab's alone), 'holder' (this tab's, shared with the others), 'shared'
 *        (another tab's), or '' while there is none
 */
export function createConnection({ api, refresh, onEvent, snapshotQuery, account, onState }) {
  let mode = 'stopped';
  let changedByUserAt = 0;
  // What the server last heard from this page about its fallback: 'polling' after it switched to polling,
  // 'streaming' once it is live again; a page that never polled reports nothing.
  let reported = 'streaming';

  const streamOptions = {
    api,
    onEvent,
    snapshotQuery,
    onLive: () => {
      setState('live', LIVE_DETAILS[role()]);
      report('streaming');
    },
    onReconnecting: () => setState('reconnecting', 'The live connection dropped; reconnecting…'),
    onGiveUp: (reason, detail) => startPolling(reason, detail),
  };
  // Decided once per page: whether the browser can share, and whether sharing was switched off.
  const stream = sharingAvailable() ? new SharedStream({ ...streamOptions, account }) : new LiveStream(streamOptions);

  function role() {
    return stream.role ?? 'own';
  }

  const poller = new Poller([
    { name: 'queue', run: pollQueue, errorDelayMs: QUEUE_QUEUED_MS },
    { name: 'stats', run: () => both(refresh.stats(), refresh.timeline()), errorDelayMs: IDLE_MS },
    { name: 'storage', run: () => refresh.storage().then(() => STORAGE_MS), errorDelayMs: STORAGE_MS },
    { name: 'notifications', run: () => refresh.notifications().then(() => IDLE_MS), errorDelayMs: IDLE_MS },
    { name: 'health', run: recheckHealth, errorDelayMs: HEALTH_RECHECK_MS, startDelayMs: HEALTH_RECHECK_MS },
  ]);

  async function pollQueue() {
    const counts = await refresh.queue();
    if (counts?.active > 0) {
      return QUEUE_ACTIVE_MS;
    }
    if (counts?.queued > 0) {
      return Date.now() - changedByUserAt < JUST_CHANGED_MS ? QUEUE_ACTIVE_MS : QUEUE_QUEUED_MS;
    }
    return IDLE_MS;
  }

  async function both(...loads) {
    await Promise.all(loads);
    return IDLE_MS;
  }

  async function recheckHealth() {
    const health = await api.getPublic('/events/health');
    const full = health?.max_connections > 0 && health.active_connections >= health.max_connections;
    if (health?.enabled && !full && mode === 'polling') {
      startStream({ resumeFrom: '' });
    }
    return HEALTH_RECHECK_MS;
  }

  /**
   * Tells the server, for its metrics, that this page switched to polling or back (POST /events/fallback).
   * Only on a switch, once, never retried and never waited for: a failed report is simply not counted, and
   * the report itself cannot switch anything, so reports cannot loop. The server also limits them.
   */
  function report(state) {
    if (state === reported) {
      return;
    }
    reported = state;
    api.post('/events/fallback', { state }).catch(() => {});
  }

  function setState(state, detail) {
    onState(state, detail, mode === 'stream' ? role() : '');
  }

  function startStream({ resumeFrom }) {
    mode = 'stream';
    poller.stop();
    setState('reconnecting', 'Connecting to live updates…');
    stream.start({ resumeFrom });
  }

  function startPolling(reason, detail) {
    mode = 'polling';
    stream.stop();
    const why = POLLING_REASONS[reason] ?? POLLING_REASONS.failing;
    setState('polling', detail ? `${why} (${detail})` : why);
    poller.start();
    report('polling');
  }

  function goOffline() {
    mode = 'offline';
    stream.stop();
    poller.stop();
    setState('offline', 'This device is offline. The page catches up when the connection returns.');
  }

  function handleOnline() {
    if (mode === 'offline') {
      // Resume from the last id seen: the server replays what happened while we were away.
      startStream({ resumeFrom: stream.lastEventId });
    }
  }

  function handleOffline() {
    if (mode !== 'stopped') {
      goOffline();
    }
  }

  return {
    /** Begins with the live stream (or waits, when offline). */
    start() {
      window.addEventListener('online', handleOnline);
      window.addEventListener('offline', handleOffline);
      if (navigator.onLine === false) {
        goOffline();
      } else {
        startStream({ resumeFrom: '' });
      }
    },

    /** Stops everything (the key was forgotten or refused). */
    stop() {
      window.removeEventListener('online', handleOnline);
      window.removeEventListener('offline', handleOffline);
      mode = 'stopped';
      stream.stop();
      poller.stop();
    },

    /**
     * The user just changed the queue (submitted, cancelled, deleted). The live stream will report it,
     * but the page refetches at once so the change shows without waiting; in polling mode this also
     * lets the queue loop switch to its faster pace.
     */
    queueChanged() {
      changedByUserAt = Date.now();
      if (mode === 'polling') {
        poller.runNow('queue');
      } else {
        refresh.queue().catch(() => {});
      }
    },
  };
}
