// Where the API key lives between visits. localStorage keeps it on this device only; the page never
// sends it anywhere but its own origin (fetch to relative URLs under CSP connect-src 'self').

const STORAGE_KEY = 'hermes.apiKey';
// Used when localStorage refuses to work, so the page still functions until it is closed.
let memoryKey = '';

export function loadKey() {
  try {
    return localStorage.getItem(STORAGE_KEY) || '';
  } catch {
    // Storage can be disabled (private modes, strict settings): then the key lasts for this page only.
    return memoryKey;
  }
}

export function saveKey(key) {
  memoryKey = key;
  try {
    localStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Kept in memory instead; see loadKey.
  }
}

export function forgetKey() {
  memoryKey = '';
  try {
    localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing stored, nothing to remove.
  }
}

/**
 * Takes a key handed over in the address, `#key=…`, for first-time setup from a link or a headless
 * browser. The fragment never reaches the server; it is removed at once so the key does not linger in
 * the address bar or in history.
 */
export function takeKeyFromFragment() {
  // Parsed by hand rather than with URLSearchParams, which would turn a "+" in a key into a space.
  const match = /(?:^#|&)key=([^&]*)/.exec(location.hash);
  if (!match) {
    return '';
  }
  history.replaceState(null, '', location.pathname + location.search);
  try {
    return decodeURIComponent(match[1]).trim();
  } catch {
    return match[1].trim();
  }
}
