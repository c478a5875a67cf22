// The REST client: every call to /api/v1 goes through here, so the key header, timeouts and the
// translation of failures into sentences for a person live in one place.

const BASE = 'api/v1';
// Long enough for a slow disk scan behind /storage, short enough that a hung request does not stall
// the polling loop that waits for it.
const TIMEOUT_MS = 15000;

/** A failed call: `status` is the HTTP status, or 0 when the server could not be reached at all. */
export class ApiError extends Error {
  constructor(status, message, retryAfter = 0) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    /** Seconds from a 429's or 503's Retry-After header, 0 when there was none. */
    this.retryAfter = retryAfter;
  }
}

/**
 * @param {object} options
 * @param {() => string} options.getKey the current API key or access token
 * @param {(error: ApiError) => void} options.onUnauthorized called on any 401 that renewing did not cure,
 *        after which the caller still receives the rejected promise
 * @param {(refused: string) => Promise<boolean>} [options.renew] asked once per request on a 401, with
 *        the credential the server refused: resolves true when a fresh one is ready (the request is then
 *        sent again with it), false when there is none (a key, or a session that has ended)
 */
export function createApi({ getKey, onUnauthorized, renew = async () => false }) {
  async function request(method, path, { body, auth = true, key, retried = false } = {}) {
    const headers = { Accept: 'application/json' };
    const credential = key ?? getKey();
    if (auth) {
      headers.Authorization = `Bearer ${credential}`;
    }
    if (body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), TIMEOUT_MS);
    let response;
    try {
      response = await fetch(`${BASE}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // The server answers with an ETag and "no-cache": revalidating lets an unchanged queue come
        // back as a bodiless 304 that the browser turns into the cached 200 for us.
        cache: 'no-cache',
        credentials: 'same-origin',
        signal: abort.signal,
      });
    } catch (cause) {
      const timedOut = cause?.name === 'AbortError';
      throw new ApiError(0, timedOut
        ? 'The server took too long to answer. It may be busy; the page will try again.'
        : 'Could not reach the server. Check that it is running and that this device is online.');
    } finally {
      clearTimeout(timer);
    }
    const payload = await readJson(response);
    if (!response.ok) {
      const error = new ApiError(response.status, describeFailure(response, payload), retryAfter(response));
      // A key being tried out (`key` given) is judged by its caller, not reported as "the key broke".
      if (response.status === 401 && auth && key === undefined) {
        // An expired access token is renewed once and the request sent again; a key is not renewable.
        if (!retried && (await renew(credential))) {
          return request(method, path, { body, auth, retried: true });
        }
        onUnauthorized(error);
      }
      throw error;
    }
    return payload;
  }

  return {
    get: (path) => request('GET', path),
    /** GET with a key that is not saved yet, to check it before keeping it. */
    getWithKey: (path, key) => request('GET', path, { key }),
    post: (path, body = {}) => request('POST', path, { body }),
    del: (path) => request('DELETE', path),
    /** POST with a given credential, judged by the caller (sign-out with the token being dropped). */
    postWithKey: (path, body, key) => request('POST', path, { body, key }),
    /** GET without the key, for the few public endpoints (/events/health). */
    getPublic: (path) => request('GET', path, { auth: false }),
    /** POST without the key: signing in and refreshing, which carry their own credentials in the body. */
    postPublic: (path, body = {}) => request('POST', path, { body, auth: false }),
  };
}

/** The URL of an API path, for EventSource, which cannot go through fetch. */
export function apiUrl(path) {
  return `${BASE}${path}`;
}

function retryAfter(response) {
  const seconds = Number.parseInt(response.headers.get('Retry-After') ?? '', 10);
  return Number.isFinite(seconds) && seconds > 0 ? seconds : 0;
}

async function readJson(response) {
  if (response.status === 204) {
    return null;
  }
  const text = await response.text();
  if (!text) {
    return null;
  }
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}

// The API puts its human message in `detail` (and, for newer clients, in error.message); a proxy in
// front of it may answer with HTML instead, so there is a fallback for every status class.
function describeFailure(response, payload) {
  const detail = payload?.detail ?? payload?.error?.message;
  if (typeof detail === 'string' && detail.trim()) {
    return detail;
  }
  if (Array.isArray(detail) && detail.length > 0) {
    return detail.map((item) => item?.msg ?? String(item)).join('; ');
  }
  if (response.status === 401) {
    return 'The server did not accept this API key.';
  }
  if (response.status === 403) {
    return 'This API key is not allowed to do that.';
  }
  if (response.status === 404) {
    return 'Not found: it may have been removed already.';
  }
  if (response.status >= 500) {
    return `The server had a problem (HTTP ${response.status}). Try again in a moment.`;
  }
  return `The request was refused (HTTP ${response.status}).`;
}
