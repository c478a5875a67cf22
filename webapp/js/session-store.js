// Where a signed-in session lives between visits, as key-store.js keeps the API key: localStorage on this
// device only. The session is the access token, the refresh token, the username to show, and when the
// access token was issued (the page schedules its refresh from that; it decodes nothing).

const STORAGE_KEY = 'hermes.session';
// Used when localStorage refuses to work, so the session lasts until the page is closed.
let memorySession = null;

/** The saved session, {accessToken, refreshToken, username, issuedAt}, or null. */
export function loadSession() {
  let text;
  try {
    text = localStorage.getItem(STORAGE_KEY);
  } catch {
    return memorySession;
  }
  try {
    const session = JSON.parse(text ?? 'null');
    return session?.accessToken && session?.refreshToken ? session : null;
  } catch {
    return null;
  }
}

export function saveSession(session) {
  memorySession = session;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Kept in memory instead; see loadSession.
  }
}

export function forgetSession() {
  memorySession = null;
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to remove.
  }
}
