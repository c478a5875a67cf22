// The notification feed, newest first, and the polite live region that reads new ones aloud.
// A notification can reach the page twice (a refetch after a resync, a poll after a live event), so
// items are kept by id and announced only the first time they are seen.

import { element, setText, showMessage } from './dom.js';
import * as format from './format.js';

const SHOWN = 20;
const TYPES = new Set(['info', 'warning', 'error']);

/**
 * @param {object} nodes
 * @param {HTMLUListElement} nodes.list #notifications
 * @param {HTMLElement} nodes.empty the empty-state line
 * @param {HTMLElement} nodes.announcer #announcer (aria-live="polite")
 * @param {HTMLElement} nodes.message the section's error line
 */
export function createNotificationsView({ list, empty, announcer, message }) {
  let items = [];
  // Nothing is announced from the first load: those are old news, not something that just happened.
  let loadedOnce = false;

  function normalise(item) {
    return {
      id: String(item.id),
      type: TYPES.has(item.type) ? item.type : 'info',
      message: item.message ?? '',
      timestamp: item.timestamp ?? '',
    };
  }

  function paint() {
    const rows = items.map((item) => {
      const row = element('li', 'notification');
      row.dataset.notificationId = item.id;
      row.dataset.type = item.type;
      const type = element('span', 'notification-type', item.type);
      const text = element('span', 'notification-message', item.message);
      const when = element('time', 'notification-time', format.time(item.timestamp));
      when.dateTime = item.timestamp;
      row.append(type, text, when);
      return row;
    });
    list.replaceChildren(...rows);
    empty.hidden = items.length > 0;
  }

  function announce(fresh) {
    if (fresh.length === 0) {
      return;
    }
    const newest = fresh[0];
    const more = fresh.length > 1 ? ` (and ${fresh.length - 1} more)` : '';
    // Clearing first makes a repeated identical message count as a change for screen readers.
    setText(announcer, '');
    setTimeout(() => setText(announcer, `New ${newest.type}: ${newest.message}${more}`), 100);
  }

  function merge(incoming) {
    const known = new Set(items.map((item) => item.id));
    const fresh = incoming.filter((item) => !known.has(item.id));
    const byId = new Map([...items, ...incoming].map((item) => [item.id, item]));
    items = [...byId.values()]
      .sort((a, b) => (Date.parse(b.timestamp) || 0) - (Date.parse(a.timestamp) || 0))
      .slice(0, SHOWN);
    paint();
    return fresh;
  }

  return {
    /** A GET /notifications answer (camelCase). */
    render(list) {
      const incoming = (Array.isArray(list) ? list : []).map((item) =>
        normalise({ ...item, type: item.notificationType }));
      const fresh = merge(incoming);
      if (loadedOnce) {
        announce(fresh);
      }
      loadedOnce = true;
      showMessage(message, '');
    },

    /** A live system_notification event (snake_case). */
    addLive(data) {
      const fresh = merge([normalise({ ...data, type: data.notification_type })]);
      announce(fresh);
    },

    showError(text) {
      showMessage(message, `Notifications are unavailable: ${text}`);
    },
  };
}
