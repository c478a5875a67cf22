// The script of notifyhub.html (a file of its own: the server's Content-Security-Policy allows no inline script).
window.feedLog = [];
const list = document.getElementById('feed');
const state = document.getElementById('state');
let poller = null;

function item(note) {
  const li = document.createElement('li');
  li.dataset.id = note.id;
  li.textContent = note.message;
  return li;
}

function replaceAll(notes, how) {
  list.replaceChildren(...notes.map(item));
  window.feedLog.push({kind: how, count: notes.length, at: Date.now()});
}

function stopPolling() {
  if (poller !== null) {
    clearInterval(poller);
    poller = null;
  }
}

const source = new EventSource('/events');
source.addEventListener('open', () => {
  state.textContent = 'live';
  stopPolling();
});
source.addEventListener('init', (event) => replaceAll(JSON.parse(event.data), 'init'));
source.addEventListener('notification', (event) => {
  const note = JSON.parse(event.data);
  list.prepend(item(note));
  window.feedLog.push({kind: 'notification', id: note.id, lastEventId: event.lastEventId, at: Date.now()});
});
source.addEventListener('heartbeat', () => window.feedLog.push({kind: 'heartbeat', at: Date.now()}));
source.addEventListener('error', () => {
  state.textContent = 'reconnecting';
  if (poller === null) {
    poller = setInterval(async () => {
      const response = await fetch('/api/notifications');
      if (response.ok) {
        replaceAll(await response.json(), 'poll');
      }
    }, 10000);
  }
});
