// The script of tracked-tasks.html (a file of its own: the server's Content-Security-Policy allows no inline script).
window.shown = {};      // task id → the last status a stream showed
window.stopped = {};    // task id → true once its EventSource stopped for good
window.opens = {};      // task id → how many streams were opened for it

function track(id, token) {
  let attempts = 0;
  let source = null;
  const connect = () => {
    if (source) {
      source.close();
    }
    source = new EventSource(`/api/v1/events/downloads/${id}?token=${token}`);
    window.opens[id] = (window.opens[id] || 0) + 1;
    source.onopen = () => { attempts = 0; };
    source.addEventListener('download_progress', (event) => {
      window.shown[id] = JSON.parse(event.data).status;
    });
    source.onerror = () => {
      if (source.readyState === EventSource.CLOSED) {
        window.stopped[id] = true;            // refused or over: never again
        return;
      }
      if (attempts >= 10) {
        source.close();
        window.stopped[id] = true;
        return;
      }
      attempts += 1;
      const delay = Math.min(1000 * 2 ** (attempts - 1), 30000);
      source.close();
      setTimeout(connect, delay);
    };
  };
  connect();
}

window.trackAll = (tokens) => {
  for (const [id, token] of Object.entries(tokens)) {
    track(id, token);
  }
};

window.allSettled = () => {
  const ids = Object.keys(window.opens);
  return ids.length > 0 && ids.every((id) => window.stopped[id] && window.shown[id]);
};
