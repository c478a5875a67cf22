// The download queue: one list item per download, built once and then updated field by field, so a
// progress event ten times a second neither rebuilds the list nor steals keyboard focus.
//
// Data arrives in two shapes: the REST DownloadStatus (camelCase) from GET /queue, and the live
// download_progress event (snake_case). Both are folded into the REST shape here.

import { element, setText, showMessage } from './dom.js';
import * as format from './format.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled']);
const ACTIVE = new Set(['downloading', 'processing']);
const CONFIRM_WINDOW_MS = 5000;
// What the server writes into `message` by routine; the status pill already says it.
const ROUTINE_MESSAGES = new Set(['Queued', 'Download queued successfully', 'Download completed']);

/** Which counter of GET /queue a status belongs to. */
function bucketOf(status) {
  if (ACTIVE.has(status)) {
    return 'active';
  }
  return status === 'queued' || status === 'pending' ? 'queued' : status;
}

/**
 * @param {object} options
 * @param {HTMLUListElement} options.list #queue
 * @param {HTMLElement} options.empty the empty-state line
 * @param {HTMLElement} options.counts the summary next to the heading
 * @param {HTMLElement} options.message the section's error line
 * @param {HTMLElement} options.heading where focus goes when the focused item disappears
 * @param {(id: string) => string|undefined} options.submittedUrl the URL this page submitted for an id
 * @param {(id: string) => Promise<void>} options.onCancel
 * @param {(id: string) => Promise<void>} options.onDelete
 */
export function createQueueView({ list, empty, counts, message, heading, submittedUrl, onCancel, onDelete }) {
  const downloads = new Map();
  let totals = null;

  list.addEventListener('click', (event) => {
    const button = event.target.closest('button');
    const row = button?.closest('[data-download-id]');
    if (!row) {
      return;
    }
    if (button.classList.contains('cancel')) {
      cancel(button, row.dataset.downloadId);
    } else if (button.classList.contains('delete')) {
      remove(button, row.dataset.downloadId);
    }
  });
  list.addEventListener('keydown', (event) => {
    if (event.key === 'Escape' && event.target.matches?.('button.delete[data-confirm="true"]')) {
      resetConfirm(event.target);
    }
  });
  list.addEventListener('focusout', (event) => {
    if (event.target.matches?.('button.delete[data-confirm="true"]')) {
      resetConfirm(event.target);
    }
  });

  // Buttons are marked busy rather than disabled while a request runs: disabling a focused button
  // throws keyboard focus back to the top of the page.
  async function cancel(button, id) {
    if (button.getAttribute('aria-disabled') === 'true') {
      return;
    }
    button.setAttribute('aria-disabled', 'true');
    try {
      await onCancel(id);
      showMessage(message, '');
      // A cancelled download cannot be cancelled again, so its Cancel button goes: keep focus nearby.
      const row = rowFor(id);
      if (row && document.activeElement === button) {
        row.querySelector('.delete').focus();
      }
    } catch (error) {
      showMessage(message, `Could not cancel: ${error.message}`);
    } finally {
      button.removeAttribute('aria-disabled');
    }
  }

  // Two steps instead of window.confirm(): the question stays on the page, works with a keyboard, and
  // can be answered by a test as easily as by a person.
  async function remove(button, id) {
    if (button.dataset.confirm !== 'true') {
      button.dataset.confirm = 'true';
      setText(button, 'Confirm delete');
      updateLabels(button.closest('[data-download-id]'));
      button.confirmTimer = setTimeout(() => resetConfirm(button), CONFIRM_WINDOW_MS);
      return;
    }
    clearTimeout(button.confirmTimer);
    if (button.getAttribute('aria-disabled') === 'true') {
      return;
    }
    button.setAttribute('aria-disabled', 'true');
    try {
      await onDelete(id);
      showMessage(message, '');
      forget(id);
    } catch (error) {
      button.removeAttribute('aria-disabled');
      resetConfirm(button);
      showMessage(message, error.status === 404 ? '' : `Could not delete: ${error.message}`);
      if (error.status === 404) {
        forget(id);
      }
    }
  }

  function resetConfirm(button) {
    clearTimeout(button.confirmTimer);
    if (button.dataset.confirm === 'true') {
      delete button.dataset.confirm;
      setText(button, 'Delete');
      updateLabels(button.closest('[data-download-id]'));
    }
  }

  function rowFor(id) {
    return list.querySelector(`[data-download-id="${CSS.escape(id)}"]`);
  }

  function createRow(id) {
    const row = element('li', 'download');
    row.dataset.downloadId = id;
    const head = element('div', 'download-head');
    head.append(element('span', 'title'), element('span', 'status'));
    const bar = element('div', 'progress-bar');
    bar.setAttribute('role', 'progressbar');
    bar.setAttribute('aria-valuemin', '0');
    bar.setAttribute('aria-valuemax', '100');
    bar.append(element('div', 'progress-fill'));
    const meta = element('div', 'download-meta');
    meta.append(
      element('span', 'percentage'),
      element('span', 'bytes'),
      element('span', 'speed'),
      element('span', 'eta'),
      element('time', 'created'),
    );
    const actions = element('div', 'download-actions');
    const cancelButton = element('button', 'button button-small cancel', 'Cancel');
    cancelButton.type = 'button';
    const deleteButton = element('button', 'button button-small button-danger delete', 'Delete');
    deleteButton.type = 'button';
    actions.append(cancelButton, deleteButton);
    row.append(head, bar, meta, element('p', 'message'), element('p', 'error'), actions);
    return row;
  }

  function titleOf(download) {
    return download.currentFilename
      || download.result?.title
      || download.result?.url
      || submittedUrl(download.downloadId)
      || `Download ${download.downloadId.slice(0, 8)}`;
  }

  // The buttons say "Cancel" and "Delete" on screen; their accessible names add the title, so a list
  // of buttons read out of context still says which download each one acts on.
  function updateLabels(row) {
    if (!row) {
      return;
    }
    const title = row.querySelector('.title').textContent;
    const deleteButton = row.querySelector('.delete');
    row.querySelector('.cancel').setAttribute('aria-label', `Cancel ${title}`);
    deleteButton.setAttribute('aria-label', `${deleteButton.textContent} ${title}`);
    row.querySelector('.progress-bar').setAttribute('aria-label', `Progress of ${title}`);
  }

  function paint(row, download) {
    const { status } = download;
    const progress = download.progress ?? {};
    const percentage = Math.min(100, Math.max(0, status === 'completed' ? 100 : Number(progress.percentage) || 0));
    const title = titleOf(download);
    row.dataset.status = status;
    const titleNode = row.querySelector('.title');
    setText(titleNode, title);
    titleNode.title = download.result?.url || submittedUrl(download.downloadId) || title;
    const statusNode = row.querySelector('.status');
    setText(statusNode, status);
    statusNode.dataset.status = status;

    const bar = row.querySelector('.progress-bar');
    bar.setAttribute('aria-valuenow', String(percentage));
    const total = status === 'completed' ? (download.result?.fileSize ?? progress.totalBytes) : progress.totalBytes;
    const done = status === 'completed' ? total : progress.downloadedBytes;
    const bytesText = format.bytesOf(done, total);
    bar.setAttribute('aria-valuetext', bytesText ? `${format.percent(percentage)}, ${bytesText}` : format.percent(percentage));
    // CSSOM, not a style attribute: the Content-Security-Policy forbids inline styles in markup.
    bar.firstElementChild.style.width = `${percentage}%`;

    const moving = ACTIVE.has(status);
    setText(row.querySelector('.percentage'), status === 'queued' ? '' : format.percent(percentage));
    setText(row.querySelector('.bytes'), bytesText);
    setText(row.querySelector('.speed'), moving && progress.speed > 0 ? format.speed(progress.speed) : '');
    setText(row.querySelector('.eta'), moving ? format.eta(progress.eta) : '');
    const created = row.querySelector('.created');
    if (download.createdAt && created.dateTime !== download.createdAt) {
      created.dateTime = download.createdAt;
      setText(created, `added ${format.time(download.createdAt)}`);
    }

    const failed = status === 'failed';
    // `message` is the last thing the worker said ("Re-queued: …", "Merging formats"); it is stale
    // once the download is over, and a failure has its own line.
    const note = download.message && !ROUTINE_MESSAGES.has(download.message) && !TERMINAL.has(status)
      ? download.message : '';
    setText(row.querySelector('.message'), note);
    setText(row.querySelector('.error'), failed ? download.error || download.message || 'The download failed.' : '');
    row.querySelector('.cancel').hidden = TERMINAL.has(status);
    updateLabels(row);
  }

  function countsChanged(fromStatus, toStatus) {
    if (!totals || !fromStatus || fromStatus === toStatus) {
      return;
    }
    const from = bucketOf(fromStatus);
    const to = bucketOf(toStatus);
    if (from !== to && totals[from] > 0) {
      totals[from] -= 1;
      totals[to] = (totals[to] ?? 0) + 1;
    }
    paintCounts();
  }

  function paintCounts() {
    if (!totals) {
      setText(counts, '');
      return;
    }
    const parts = [
      [totals.active, 'active'],
      [totals.queued, 'waiting'],
      [totals.completed, 'done'],
      [totals.failed, 'failed'],
      [totals.cancelled, 'cancelled'],
    ].filter(([amount]) => amount > 0).map(([amount, label]) => `${format.count(amount)} ${label}`);
    const shown = downloads.size;
    if (totals.totalItems > shown) {
      parts.push(`newest ${format.count(shown)} of ${format.count(totals.totalItems)} shown`);
    }
    setText(counts, parts.join(' · '));
  }

  function paintEmpty() {
    empty.hidden = downloads.size > 0;
  }

  // Focus must not vanish with a removed row: it moves to the neighbour's button, or to the heading.
  function removeRow(row) {
    if (row.contains(document.activeElement)) {
      const neighbour = row.nextElementSibling ?? row.previousElementSibling;
      const target = neighbour?.querySelector('.delete') ?? heading;
      row.remove();
      target.focus();
    } else {
      row.remove();
    }
  }

  function forget(id) {
    const known = downloads.get(id);
    if (!known) {
      return;
    }
    downloads.delete(id);
    if (totals) {
      const bucket = bucketOf(known.status);
      totals[bucket] = Math.max(0, (totals[bucket] ?? 0) - 1);
      totals.totalItems = Math.max(0, totals.totalItems - 1);
    }
    const row = rowFor(id);
    if (row) {
      removeRow(row);
    }
    paintCounts();
    paintEmpty();
  }

  return {
    /** Replaces the list with a GET /queue answer, keeping existing rows (and focus) in place. */
    render(queue) {
      const items = queue?.items ?? [];
      totals = {
        totalItems: queue.totalItems ?? items.length,
        queued: queue.queued ?? 0,
        active: queue.active ?? 0,
        completed: queue.completed ?? 0,
        failed: queue.failed ?? 0,
        cancelled: queue.cancelled ?? 0,
      };
      const wanted = new Set(items.map((item) => item.downloadId));
      for (const row of [...list.children]) {
        if (!wanted.has(row.dataset.downloadId)) {
          removeRow(row);
        }
      }
      const previous = new Map(downloads);
      downloads.clear();
      items.forEach((fetched, index) => {
        // An answer that left the server before a live event finished this download is stale:
        // a terminal download never changes status again, so the terminal copy wins.
        const known = previous.get(fetched.downloadId);
        const stale = known && TERMINAL.has(known.status) && !TERMINAL.has(fetched.status);
        const download = stale ? known : fetched;
        downloads.set(download.downloadId, download);
        const row = rowFor(download.downloadId) ?? createRow(download.downloadId);
        paint(row, download);
        // Move only rows that are out of place: moving a node would blur a focused button inside it.
        if (list.children[index] !== row) {
          list.insertBefore(row, list.children[index] ?? null);
        }
      });
      paintCounts();
      paintEmpty();
      showMessage(message, '');
    },

    /** Applies a live download_progress event; false when the download is not on screen yet. */
    applyProgress(data) {
      const known = downloads.get(data.download_id);
      if (!known) {
        return false;
      }
      // A terminal download never changes again; a late progress event must not revive it.
      if (TERMINAL.has(known.status) && known.status !== data.status) {
        return true;
      }
      const progress = data.progress ?? {};
      const updated = {
        ...known,
        status: data.status ?? known.status,
        message: data.message ?? known.message,
        error: data.error_message ?? known.error,
        progress: {
          percentage: progress.percentage ?? known.progress?.percentage,
          status: progress.status ?? data.status,
          downloadedBytes: progress.downloaded_bytes ?? known.progress?.downloadedBytes,
          totalBytes: progress.total_bytes ?? known.progress?.totalBytes,
          speed: progress.speed ?? null,
          eta: progress.eta ?? null,
        },
      };
      if (data.result) {
        updated.result = {
          ...known.result,
          url: data.result.url,
          title: data.result.title,
          fileSize: data.result.file_size,
        };
      }
      downloads.set(known.downloadId, updated);
      countsChanged(known.status, updated.status);
      const row = rowFor(known.downloadId);
      if (row) {
        paint(row, updated);
      }
      return true;
    },

    /** Applies a queue_update status_changed; false when the download is not on screen yet. */
    applyStatus(id, status) {
      const known = downloads.get(id);
      if (!known) {
        return false;
      }
      if (!status || known.status === status || TERMINAL.has(known.status)) {
        return true;
      }
      const updated = { ...known, status };
      downloads.set(id, updated);
      countsChanged(known.status, status);
      const row = rowFor(id);
      if (row) {
        paint(row, updated);
      }
      return true;
    },

    showError(text) {
      showMessage(message, text);
    },
  };
}
