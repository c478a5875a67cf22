// One event stream for all the tabs of a browser that show the same account.
//
// Why: a browser opens at most six HTTP/1.1 connections to an origin, and an EventSource holds one for as
// long as it is open, so with a stream per tab the seventh tab never went live and the eighth could not
// even load the page. Sharing also spares the server a stream per tab; HTTP/2 (see the Caddyfile) lifts
// the connection limit for pages that do not share.
//
// Who holds the stream: the tab granted the Web Lock `hermes-stream:<account>` (the account is part of the
// name, so tabs signed in as different people never share). It runs a LiveStream as a lone page would,
// applies each event itself and posts it on the BroadcastChannel of the same name. Every other tab of the
// account follows: it waits in the lock's queue, applies what the channel brings, answers to its own
// connection indicator and makes its own REST calls.
//
// Handover: the browser releases the lock when the holder's tab closes; the holder lets it go itself a
// little earlier, on `pagehide`, and on `freeze` (a frozen tab keeps its locks but runs nothing). The first
// tab in the queue is granted the lock at once and opens a stream resuming from the last event id it has
// seen, so the server replays what happened in between. A holder that stops running without letting go (a
// hung script) is noticed by its silence: it posts its state every BEAT_MS, and a follower that hears
// nothing for HOLDER_SILENT_MS steals the lock.
//
// Dedupe: each tab keeps the last event id it applied and drops an event whose id is not after it (ids
// are totally ordered), because a new holder's replay can repeat what the old one had forwarded. Events
// without an id (a legacy plain PUBLISH, snapshots, resync) cannot be told apart that way and are applied
// as they come; only in the moment two tabs both hold a stream, after a steal, could one show twice.
//
// Joining: a follower gets no opening snapshot, so it loads its views itself, as after a resync; the
// holder answers its `hello` with its state (live or reconnecting) and last event id.
//
// Fallback: without Web Locks or BroadcastChannel (older browsers; Web Locks exist only in secure
// contexts, so a page served over plain HTTP from anywhere but localhost lacks them) each tab opens its
// own LiveStream as before. So does a tab whose address has `?share=off`, or any tab once local storage
// holds `hermes.share` = `off`.

import { isAfter } from './event-ids.js';
import { LiveStream } from './live-stream.js';

const NAME_PREFIX = 'hermes-stream';
const SHARE_SETTING = 'hermes.share';
/** How often the holder posts its state, so that followers know it is still there. */
const BEAT_MS = 5000;
/**
 * A holder silent this long is taken to be hung. Well above BEAT_MS, because a hidden tab's timers are
 * held back: Chrome runs them at most once a minute after the tab has been hidden for five minutes.
 */
const HOLDER_SILENT_MS = 75000;

/** Whether this tab can share a stream with the others, and is allowed to. */
export function sharingAvailable() {
  if (typeof BroadcastChannel !== 'function' || typeof navigator.locks?.request !== 'function') {
    return false;
  }
  if (new URLSearchParams(location.search).get('share') === 'off') {
    return false;
  }
  try {
    return localStorage.getItem(SHARE_SETTING) !== 'off';
  } catch {
    return true;
  }
}

/**
 * The same interface and callbacks as LiveStream, plus `account` (names whose tabs may share) and `role`.
 */
export class SharedStream {
  /**
   * @param {object} options the options of LiveStream, and:
   * @param {() => string} options.account who this tab shows, e.g. `user:ada`; read at each start
   */
  constructor({ api, onEvent, snapshotQuery, onLive, onReconnecting, onGiveUp, account }) {
    this.api = api;
    this.onEvent = onEvent;
    this.snapshotQuery = snapshotQuery;
    this.onLive = onLive;
    this.onReconnecting = onReconnecting;
    this.onGiveUp = onGiveUp;
    this.account = account;
    this.running = false;
    this.lastSeenId = '';
    // The state this tab's indicator shows, so a beat saying "live" again changes nothing.
    this.shown = '';
    // This tab's part in the sharing since it last joined: its channel, its lock requests and, while it
    // holds the lock, its stream. Null while stopped, frozen or hidden in the back/forward cache.
    this.member = null;

    document.addEventListener('freeze', () => this.leave());
    document.addEventListener('resume', () => this.rejoin());
    window.addEventListener('pagehide', () => this.leave());
    window.addEventListener('pageshow', (event) => {
      if (event.persisted) {
        this.rejoin();
      }
    });
  }

  /** The last replayable event id this tab applied, for resuming later. */
  get lastEventId() {
    return this.lastSeenId;
  }

  /** 'holder' while this tab holds the stream for the others, 'shared' while it uses another tab's, else ''. */
  get role() {
    if (!this.member) {
      return '';
    }
    return this.member.stream ? 'holder' : 'shared';
  }

  start({ resumeFrom = this.lastSeenId } = {}) {
    this.stop();
    this.running = true;
    this.lastSeenId = resumeFrom;
    // The connection has just said "connecting".
    this.shown = 'reconnecting';
    this.join();
  }

  stop() {
    this.running = false;
    this.leave();
  }

  join() {
    const name = `${NAME_PREFIX}:${this.account()}`;
    const member = {
      name,
      channel: new BroadcastChannel(name),
      // Aborts the request waiting in the lock's queue.
      waiting: null,
      // The lock request that holds the lock now, and the function that lets it go.
      ticket: null,
      release: null,
      stream: null,
      // While this tab holds the lock: what its stream is doing, 'reconnecting' or 'live'.
      state: '',
      heardAt: Date.now(),
      beatTimer: 0,
      watchTimer: 0,
    };
    this.member = member;
    member.channel.onmessage = (message) => this.receive(member, message.data);
    this.request(member, { ifAvailable: true }, (ticket) => (ticket ? this.lead(member, ticket) : this.follow(member)));
  }

  /**
   * Asks for the lock. `granted` runs with this request's ticket once it is granted (with null when
   * `ifAvailable` found it taken); the lock is held until the promise `granted` returns settles.
   */
  request(member, options, granted) {
    const ticket = {};
    navigator.locks.request(member.name, options, (lock) => granted(lock && ticket))
      .catch(() => this.lost(member, ticket));
  }

  follow(member) {
    if (member !== this.member) {
      return;
    }
    this.post(member, { type: 'hello' });
    // No snapshot comes to a follower: it loads every view itself.
    this.onEvent('resync', { reason: 'joined another tab\'s stream' }, '');
    member.heardAt = Date.now();
    member.watchTimer = setInterval(() => this.checkHolder(member), BEAT_MS);
    const waiting = new AbortController();
    member.waiting = waiting;
    this.request(member, { signal: waiting.signal }, (ticket) => this.lead(member, ticket));
  }

  /** Runs while this tab holds the lock; the lock goes when the promise returned resolves. */
  lead(member, ticket) {
    if (member !== this.member) {
      return undefined; // left meanwhile: let the lock go at once
    }
    clearInterval(member.watchTimer);
    member.waiting = null;
    member.ticket = ticket;
    member.stream = new LiveStream({
      api: this.api,
      snapshotQuery: this.snapshotQuery,
      onEvent: (name, data, id) => this.forward(member, name, data, id),
      onLive: () => this.holderState(member, 'live'),
      onReconnecting: () => this.holderState(member, 'reconnecting'),
      onGiveUp: (reason, detail) => {
        this.post(member, { type: 'gave-up', reason, detail });
        this.lastSeenId = '';
        this.onGiveUp(reason, detail);
      },
    });
    const held = new Promise((resolve) => {
      member.release = resolve;
    });
    this.holderState(member, 'reconnecting');
    member.beatTimer = setInterval(() => this.post(member, this.stateMessage(member)), BEAT_MS);
    member.stream.start({ resumeFrom: this.lastSeenId });
    return held;
  }

  /** An event from this tab's own stream: applied here and passed on to the followers. */
  forward(member, name, data, id) {
    if (id) {
      if (!isAfter(id, this.lastSeenId)) {
        return;
      }
      this.lastSeenId = id;
    }
    this.post(member, { type: 'event', name, data, id });
    this.onEvent(name, data, id);
  }

  holderState(member, state) {
    member.state = state;
    this.post(member, this.stateMessage(member));
    this.show(state);
  }

  stateMessage(member) {
    return { type: 'state', state: member.state, lastEventId: this.lastSeenId };
  }

  receive(member, message) {
    if (member !== this.member || !message) {
      return;
    }
    if (member.stream) {
      // A holder has its own stream; it only answers newcomers.
      if (message.type === 'hello') {
        this.post(member, this.stateMessage(member));
      }
      return;
    }
    member.heardAt = Date.now();
    switch (message.type) {
      case 'state':
        // Sent after every event the holder forwarded before it, so nothing in between is skipped.
        if (message.lastEventId && isAfter(message.lastEventId, this.lastSeenId)) {
          this.lastSeenId = message.lastEventId;
        }
        this.show(message.state);
        break;
      case 'event':
        if (message.id) {
          if (!isAfter(message.id, this.lastSeenId)) {
            return;
          }
          this.lastSeenId = message.id;
        }
        this.onEvent(message.name, message.data, message.id);
        break;
      case 'gave-up':
        // The server offers no stream (turned off, full, refused, failing): poll, as the holder does.
        this.lastSeenId = '';
        this.onGiveUp(message.reason, message.detail);
        break;
      default:
        break;
    }
  }

  show(state) {
    if (state === this.shown || (state !== 'live' && state !== 'reconnecting')) {
      return;
    }
    this.shown = state;
    if (state === 'live') {
      this.onLive();
    } else {
      this.onReconnecting();
    }
  }

  checkHolder(member) {
    if (member !== this.member || member.stream || Date.now() - member.heardAt < HOLDER_SILENT_MS) {
      return;
    }
    // The holder is hung: take the lock from it (it steps down when it runs again) and leave the queue.
    clearInterval(member.watchTimer);
    member.waiting?.abort();
    member.waiting = null;
    this.request(member, { steal: true }, (ticket) => this.lead(member, ticket));
  }

  /**
   * A lock request failed. Only when it is the request this tab holds the lock by was the lock taken away
   * (stolen); an aborted wait in the queue means nothing.
   */
  lost(member, ticket) {
    if (member === this.member && member.ticket === ticket) {
      this.leave();
      this.rejoin();
    }
  }

  post(member, message) {
    try {
      member.channel.postMessage(message);
    } catch {
      // Closed, or the data could not be cloned: the followers refetch at their next resync.
    }
  }

  rejoin() {
    if (this.running && !this.member) {
      // The indicator still shows what this tab was before it left (the holder, say): the next state heard
      // is shown whatever it is.
      this.shown = '';
      this.join();
    }
  }

  /** Stops taking part (closing this tab's stream and letting the lock go); `rejoin` takes part again. */
  leave() {
    const member = this.member;
    if (!member) {
      return;
    }
    this.member = null;
    clearInterval(member.beatTimer);
    clearInterval(member.watchTimer);
    member.waiting?.abort();
    member.stream?.stop();
    member.release?.();
    member.channel.close();
  }
}
