// The page's composition root: builds the views, the API client and the connection, and routes every
// live event to the view it concerns. Nothing else wires modules together.

import { createApi } from './api.js';
import { coalesce } from './coalesce.js';
import { createConnection } from './connection.js';
import { byId, setText } from './dom.js';
import { createKeyPanel } from './key-panel.js';
import { forgetKey, loadKey, saveKey, takeKeyFromFragment } from './key-store.js';
import { createNotificationsView } from './notifications.js';
import { createQueueView } from './queue.js';
import { createSession } from './session.js';
import { createSignInForm } from './sign-in-form.js';
import { createStatsView } from './stats.js';
import { createStorageView } from './storage.js';
import { createSubmitForm } from './submit-form.js';
import { rememberSubmitted, submittedUrl } from './submitted-urls.js';
import { createTimelineView } from './timeline.js';

const QUEUE_LIMIT = 50;
const NOTIFICATION_LIMIT = 20;

let apiKey = '';
// 'key' while the page uses an API key, 'session' while someone is signed in.
let mode = 'key';
let running = false;

const api = createApi({
  getKey: () => (mode === 'session' ? session.token() : apiKey),
  onUnauthorized: (error) => (mode === 'session' ? sessionEnded() : keyRefused(error)),
  renew: async (refused) => mode === 'session' && session.renew(refused),
});

const session = createSession({ api, onEnded: () => sessionEnded() });

// ---- views ---------------------------------------------------------------------------------------

const queueView = createQueueView({
  list: byId('queue'),
  empty: byId('queue-empty'),
  counts: byId('queue-counts'),
  message: byId('queue-message'),
  heading: byId('queue-heading'),
  submittedUrl,
  onCancel: async (id) => {
    await api.post(`/download/${encodeURIComponent(id)}/cancel`);
    connection.queueChanged();
  },
  onDelete: async (id) => {
    await api.del(`/download/${encodeURIComponent(id)}?delete_file=true`);
    connection.queueChanged();
  },
});

const statsView = createStatsView({
  successful: byId('stat-successful'),
  successRate: byId('stat-success-rate'),
  bandwidth: byId('stat-bandwidth'),
  averageTime: byId('stat-average-time'),
  note: byId('stats-note'),
  message: byId('stats-message'),
});

const timelineView = createTimelineView({
  container: byId('timeline'),
  summary: byId('timeline-summary'),
  message: byId('timeline-message'),
});

const storageView = createStorageView({
  gauge: byId('storage-gauge'),
  detail: byId('storage-detail'),
  message: byId('storage-message'),
});

const notificationsView = createNotificationsView({
  list: byId('notifications'),
  empty: byId('notifications-empty'),
  announcer: byId('announcer'),
  message: byId('notifications-message'),
});

const statsPeriod = byId('stats-period');
const timelinePeriod = byId('timeline-period');

// ---- loaders: fetch one part of the page and render it ------------------------------------------

/** Runs a request and hands the answer to a view; a failure is shown in that view and re-thrown. */
async function load(request, render, showError) {
  try {
    const answer = await request();
    render(answer);
    return answer;
  } catch (error) {
    if (error.status !== 401) {
      showError(error.message);
    }
    throw error;
  }
}

const refresh = {
  queue: coalesce(() => load(
    () => api.get(`/queue?limit=${QUEUE_LIMIT}`),
    (answer) => queueView.render(answer),
    (text) => queueView.showError(`The queue could not be loaded: ${text}`),
  )),
  stats: coalesce(() => load(
    () => api.get(`/stats?period=${statsPeriod.value}`),
    (answer) => statsView.render(answer),
    (text) => statsView.showError(text),
  )),
  timeline: coalesce(() => {
    const period = timelinePeriod.value;
    return load(
      // The summary only adds sentences under the chart; the chart is drawn without it if it fails.
      () => Promise.all([
        api.get(`/timeline?period=${period}`),
        api.get(`/timeline/summary?period=${period}`).catch(() => null),
      ]),
      ([days, summary]) => timelineView.render(days, summary, period),
      (text) => timelineView.showError(text),
    );
  }),
  storage: coalesce(() => load(
    () => api.get('/storage'),
    (answer) => storageView.render(answer),
    (text) => storageView.showError(text),
  )),
  notifications: coalesce(() => load(
    () => api.get(`/notifications?limit=${NOTIFICATION_LIMIT}`),
    (answer) => notificationsView.render(answer),
    (text) => notificationsView.showError(text),
  )),
  all() {
    return Promise.allSettled([
      refresh.queue(), refresh.stats(), refresh.timeline(), refresh.storage(), refresh.notifications(),
    ]);
  },
};

// ---- the stream's opening snapshot ----------------------------------------------------------------

const SNAPSHOT_VIEWS = 'queue,stats,timeline,timeline_summary,storage,notifications';

/** What every stream asks to open with: the current state of each view, as the REST calls above load it. */
function snapshotQuery() {
  return {
    snapshot: SNAPSHOT_VIEWS,
    'queue.limit': String(QUEUE_LIMIT),
    'stats.period': statsPeriod.value,
    'timeline.period': timelinePeriod.value,
    'timeline_summary.period': timelinePeriod.value,
    'notifications.limit': String(NOTIFICATION_LIMIT),
  };
}

// The timeline and its summary arrive as two snapshots and are drawn together.
let snapshotDays = null;

/** Renders one view's snapshot ({view, query, data, error}), or refetches it if the page asked otherwise since. */
function applySnapshot({ view, query, data, error }) {
  const failed = error ? `${error.detail ?? 'unavailable'}` : '';
  switch (view) {
    case 'queue':
      if (failed) {
        queueView.showError(`The queue could not be loaded: ${failed}`);
      } else {
        queueView.render(data);
      }
      break;
    case 'stats':
      if (query?.period !== statsPeriod.value) {
        refresh.stats().catch(() => {});
      } else if (failed) {
        statsView.showError(failed);
      } else {
        statsView.render(data);
      }
      break;
    case 'timeline':
      snapshotDays = failed || query?.period !== timelinePeriod.value ? null : data;
      if (failed) {
        timelineView.showError(failed);
      }
      break;
    case 'timeline_summary':
      if (snapshotDays && query?.period === timelinePeriod.value) {
        timelineView.render(snapshotDays, failed ? null : data, timelinePeriod.value);
      } else if (!snapshotDays) {
        refresh.timeline().catch(() => {});
      }
      snapshotDays = null;
      break;
    case 'storage':
      if (failed) {
        storageView.showError(failed);
      } else {
        storageView.render(data);
      }
      break;
    case 'notifications':
      if (failed) {
        notificationsView.showError(failed);
      } else {
        notificationsView.render(data);
      }
      break;
    default:
      break;
  }
}

// ---- live events ---------------------------------------------------------------------------------

// Progress for a download that a fresh queue still does not list (older than the newest 50) must not
// trigger a refetch per event: each such id gets one refetch.
const refetchedFor = new Set();

function refetchQueueFor(id) {
  if (refetchedFor.has(id)) {
    return;
  }
  refetchedFor.add(id);
  refresh.queue().catch(() => {});
}

function onEvent(name, data, id = '') {
  noteApplied(name, id);
  switch (name) {
    case 'download_progress':
      if (!queueView.applyProgress(data)) {
        refetchQueueFor(data.download_id);
      }
      break;
    case 'queue_update':
      if (data.action === 'status_changed') {
        if (!queueView.applyStatus(data.download_id, data.status)) {
          refetchQueueFor(data.download_id);
        }
      } else if (data.action === 'added') {
        // Its download_progress came just before and already asked for a refetch of the queue; the
        // counts come with that answer.
        refetchQueueFor(data.download_id);
      } else {
        refresh.queue().catch(() => {});
      }
      break;
    case 'stats_update':
      refresh.stats().catch(() => {});
      refresh.timeline().catch(() => {});
      break;
    case 'storage_update':
      storageView.applyLive(data);
      break;
    case 'system_notification':
      notificationsView.addLive(data);
      break;
    case 'snapshot':
      applySnapshot(data);
      break;
    case 'resync':
      // Events were lost: the views' snapshots follow at once when the stream asked for them.
      if (!data.snapshot_follows) {
        refresh.all();
      }
      break;
    default:
      break;
  }
}

// ---- connection state --------------------------------------------------------------------------

const stateNode = byId('connection-state');
const stateDetail = byId('connection-detail');

function showState(state, detail, stream) {
  if (stateNode.dataset.state !== state || stateNode.dataset.stream !== stream) {
    stateNode.dataset.since = String(Date.now());
  }
  stateNode.dataset.state = state;
  // Whose stream: this tab's alone, this tab's for all the tabs, or another tab's (connection.js).
  stateNode.dataset.stream = stream;
  setText(stateNode, state);
  setText(stateDetail, detail);
  stateNode.title = detail;
}

// What this tab has applied: the number of live events and the last id, for a person looking at the
// page in the browser's inspector and for the browser test, which counts that every tab applies each
// event exactly once.
let eventsApplied = 0;

function noteApplied(name, id) {
  if (name === 'snapshot' || name === 'resync') {
    return;
  }
  eventsApplied += 1;
  stateNode.dataset.events = String(eventsApplied);
  if (id) {
    stateNode.dataset.lastEventId = id;
  }
}

/**
 * Who the page shows, naming the tabs that may share one stream: the signed-in user, or the API key
 * (a digest of it: the name is for telling keys apart, and never shows the key itself).
 */
function account() {
  return mode === 'session' ? `user:${session.username()}` : `key:${digest(apiKey)}`;
}

/**
 * A 64-bit digest (two FNV-1a-style halves) in base 36. Not cryptographic, and need not be: it only tells
 * keys apart, and only this origin sees the lock and channel names, as it sees the stored key itself.
 */
function digest(text) {
  let low = 0x811c9dc5;
  let high = 0xcbf29ce4;
  for (let i = 0; i < text.length; i += 1) {
    const code = text.charCodeAt(i);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code ^ (low >>> 16), 0x01000193);
  }
  return (high >>> 0).toString(36) + (low >>> 0).toString(36);
}

const connection = createConnection({ api, refresh, onEvent, snapshotQuery, account, onState: showState });

// ---- key, session and page lifecycle ------------------------------------------------------------

const keyPanel = createKeyPanel(async (candidate) => {
  try {
    await api.getWithKey('/queue?limit=1', candidate);
  } catch (error) {
    if (error.status === 401) {
      return 'The server did not accept this key. Check that it was copied whole, and that it has not been revoked or expired.';
    }
    if (error.status !== 403) {
      return error.message;
    }
    // 403: a valid key without read permission. It is still this person's key; the sections will say
    // what it may not see.
  }
  saveKey(candidate);
  useKey(candidate);
  startDashboard();
  return '';
});

const signInForm = createSignInForm(async (username, password) => {
  await session.signIn(username, password);
  // One way in at a time: a saved key would otherwise come back after signing out.
  forgetKey();
  mode = 'session';
  apiKey = '';
  startDashboard();
});

const dashboard = byId('main');
const forgetButton = byId('forget-key');
const signedIn = byId('signed-in');
const signOutButton = byId('sign-out');
const connectionBox = stateNode.parentElement;

/** Switches to an API key, ending a session this browser still holds (best effort, in the background). */
function useKey(key) {
  if (session.active()) {
    session.signOut();
  }
  mode = 'key';
  apiKey = key;
}

function startDashboard() {
  running = true;
  keyPanel.hide();
  dashboard.hidden = false;
  forgetButton.hidden = mode !== 'key';
  signedIn.hidden = mode !== 'session';
  setText(signedIn, mode === 'session' ? `Signed in as ${session.username()}` : '');
  signOutButton.hidden = mode !== 'session';
  connectionBox.hidden = false;
  // No view is loaded here: the live stream opens with their snapshot, and polling, if the stream is not
  // available, starts with a full load.
  connection.start();
}

function stopDashboard() {
  running = false;
  connection.stop();
  dashboard.hidden = true;
  forgetButton.hidden = true;
  signedIn.hidden = true;
  signOutButton.hidden = true;
  connectionBox.hidden = true;
}

/** Shows the sign-in form and key entry, starting in the sign-in form. */
function showSignIn(explanation = '') {
  signInForm.reset();
  keyPanel.show(explanation, byId('sign-in-username'));
}

// The refresh token was refused (it expired, or the session was signed out elsewhere): sign in again.
function sessionEnded() {
  session.drop();
  if (!running) {
    return;
  }
  stopDashboard();
  showSignIn('Your sign-in has ended: it expired, or was signed out elsewhere. Sign in again to continue.');
}

// Several requests in flight can all come back 401; the first one stops the page, the rest find it stopped.
function keyRefused(error) {
  if (!running) {
    return;
  }
  stopDashboard();
  forgetKey();
  keyPanel.show(`The server no longer accepts the saved API key (“${error.message}”). It may have been revoked or have expired. Enter a valid key to continue.`);
}

forgetButton.addEventListener('click', () => {
  stopDashboard();
  forgetKey();
  // A fresh page drops every download, figure and notification the forgotten key could see.
  location.reload();
});

signOutButton.addEventListener('click', async () => {
  signOutButton.disabled = true;
  stopDashboard();
  await session.signOut();
  // As after "Forget key": a fresh page drops everything the session could see.
  location.reload();
});

createSubmitForm({
  api,
  onQueued: rememberSubmitted,
  onSubmitted: () => connection.queueChanged(),
});

statsPeriod.addEventListener('change', () => refresh.stats().catch(() => {}));
timelinePeriod.addEventListener('change', () => refresh.timeline().catch(() => {}));

// A link with #key=… opened on a page that is already loaded changes only the fragment.
window.addEventListener('hashchange', () => {
  const key = takeKeyFromFragment();
  if (key) {
    saveKey(key);
    stopDashboard();
    useKey(key);
    startDashboard();
  }
});

const fragmentKey = takeKeyFromFragment();
if (fragmentKey) {
  saveKey(fragmentKey);
}
// A key in the address is an explicit choice and wins; otherwise a saved session, then a saved key.
const savedKey = fragmentKey || (session.active() ? '' : loadKey());
if (savedKey) {
  useKey(savedKey);
  startDashboard();
} else if (session.active()) {
  mode = 'session';
  startDashboard();
} else {
  showSignIn();
}
