// A signed-in session: the access token every API call and stream-token request carries as Bearer, and the
// refresh token that renews it. Nothing is decoded: the access token is renewed REFRESH_AFTER_MS after it
// was issued, which is well within the server's default life of 15 minutes; a server configured with a
// shorter life answers 401 first, and the API client then asks `renew` once before giving up.
//
// Refresh rotates: the old refresh token stops working, and showing it again ends the whole session. Tabs
// of one browser share the stored session, so a renewal takes a lock (where the browser offers Web Locks)
// and first looks whether another tab has already rotated the tokens; if so it adopts theirs.

import { ApiError } from './api.js';
import { forgetSession, loadSession, saveSession } from './session-store.js';

const REFRESH_AFTER_MS = 10 * 60 * 1000;
/** After a renewal that failed for a passing reason (network, server busy), try again this much later. */
const RETRY_MS = 30 * 1000;
const LOCK_NAME = 'hermes.session.refresh';

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {() => void} options.onEnded a scheduled renewal found the session over (refused by the server)
 */
export function createSession({ api, onEnded }) {
  let current = loadSession();
  let refreshing = null;
  let timer = 0;

  function keep(session) {
    current = session;
    saveSession(session);
    schedule();
  }

  function drop() {
    clearTimeout(timer);
    // Another tab may have signed someone in since: its session is not this one's to forget.
    const stored = loadSession();
    if (!stored || !current || stored.refreshToken === current.refreshToken) {
      forgetSession();
    }
    current = null;
  }

  function schedule() {
    clearTimeout(timer);
    if (!current) {
      return;
    }
    const due = Math.max(0, (Number(current.issuedAt) || 0) + REFRESH_AFTER_MS - Date.now());
    timer = setTimeout(() => scheduledRenewal(current.accessToken), due);
  }

  async function scheduledRenewal(token) {
    try {
      if (!(await renew(token))) {
        onEnded();
      }
    } catch {
      clearTimeout(timer);
      timer = setTimeout(() => scheduledRenewal(token), RETRY_MS);
    }
  }

  /** Exchanges the refresh token for new tokens; false when the server refused it (the session is over). */
  async function rotate() {
    const stored = loadSession();
    const rotatedElsewhere = stored && current && stored.refreshToken !== current.refreshToken
      && stored.username === current.username;
    if (rotatedElsewhere) {
      // Another tab rotated them meanwhile; using ours now would end the session for both.
      keep(stored);
      return true;
    }
    if (!current) {
      return false;
    }
    try {
      const answer = await api.postPublic('/auth/refresh', { refreshToken: current.refreshToken });
      keep({
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken,
        username: current.username,
        issuedAt: Date.now(),
      });
      return true;
    } catch (error) {
      if (error.status === 0 || error.status === 429 || error.status >= 500) {
        throw error; // passing: the session may well still be valid
      }
      drop();
      return false;
    }
  }

  /**
   * Renews the access token after the server refused `refused` (or because it is due). Resolves true when
   * a fresh token is ready, false when the session is over; rejects with an ApiError for a passing failure.
   */
  function renew(refused) {
    if (!current) {
      return Promise.resolve(false);
    }
    if (current.accessToken !== refused) {
      return Promise.resolve(true); // renewed already, since the refused request was sent
    }
    if (!refreshing) {
      const work = navigator.locks ? () => navigator.locks.request(LOCK_NAME, rotate) : rotate;
      refreshing = work().finally(() => {
        refreshing = null;
      });
    }
    return refreshing;
  }

  schedule();

  return {
    /** The access token, or '' when nobody is signed in. */
    token: () => current?.accessToken ?? '',
    username: () => current?.username ?? '',
    active: () => current !== null,
    renew,

    /** Signs in; rejects with the server's ApiError (401 wrong credentials, 429 with retryAfter …). */
    async signIn(username, password) {
      const answer = await api.postPublic('/auth/login', { username, password });
      keep({
        accessToken: answer.accessToken,
        refreshToken: answer.refreshToken,
        username: answer.user?.username ?? username,
        issuedAt: Date.now(),
      });
    },

    /** Forgets the session here and ends it on the server; never rejects. */
    async signOut() {
      const session = current;
      drop();
      if (!session) {
        return;
      }
      try {
        await api.postWithKey('/auth/logout', {}, session.accessToken);
      } catch (error) {
        if (!(error instanceof ApiError) || error.status !== 401) {
          return;
        }
        // The access token had expired: the refresh token still names the session, so end it with a new one.
        try {
          const renewed = await api.postPublic('/auth/refresh', { refreshToken: session.refreshToken });
          await api.postWithKey('/auth/logout', {}, renewed.accessToken);
        } catch {
          // Already over on the server; nothing left to end.
        }
      }
    },

    /** Forgets the session here only (the server already ended it). */
    drop,
  };
}
