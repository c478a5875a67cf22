// The queue reports a download's file name only once the transfer starts, and its URL only once it is
// complete. Until then the page names a download by the link it submitted, remembered here for the
// browser session (sessionStorage: it is forgotten with the tab, like the links themselves).

const STORAGE_KEY = 'hermes.submittedUrls';
const KEEP = 200;

let urls = load();

function load() {
  try {
    return new Map(JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? '[]'));
  } catch {
    return new Map();
  }
}

export function rememberSubmitted(id, url) {
  urls.set(id, url);
  if (urls.size > KEEP) {
    urls = new Map([...urls].slice(-KEEP));
  }
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify([...urls]));
  } catch {
    // Without storage the names last until the page is reloaded; nothing else depends on them.
  }
}

export function submittedUrl(id) {
  return urls.get(id);
}
