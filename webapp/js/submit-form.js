// The "Add downloads" form: one link per line; one link goes to POST /download, several to
// POST /download/batch. Links are checked here first so a typo gets a precise answer ("line 3 …")
// instead of the batch's single refusal.

import { byId, setText } from './dom.js';

const BATCH_LIMIT = 50;
const URL_LIMIT = 2048;

/** Splits the textarea into links, or explains what is wrong with them. */
export function parseLinks(text) {
  const lines = text.split(/\r?\n/).map((line) => line.trim()).filter(Boolean);
  const links = [...new Set(lines)];
  if (links.length === 0) {
    return { problem: 'Paste at least one link, starting with http:// or https://.' };
  }
  if (links.length > BATCH_LIMIT) {
    return { problem: `At most ${BATCH_LIMIT} links at a time; there are ${links.length}. Split them up.` };
  }
  for (const [index, link] of links.entries()) {
    const where = links.length > 1 ? `Link ${index + 1}` : 'The link';
    let parsed;
    try {
      parsed = new URL(link);
    } catch {
      return { problem: `${where} is not a web address: “${link}”.` };
    }
    if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
      return { problem: `${where} must start with http:// or https://.` };
    }
    if (link.length > URL_LIMIT) {
      return { problem: `${where} is longer than ${URL_LIMIT} characters.` };
    }
  }
  return { links };
}

/**
 * @param {object} options
 * @param {ReturnType<import('./api.js').createApi>} options.api
 * @param {(id: string, url: string) => void} options.onQueued once per download created
 * @param {() => void} options.onSubmitted after a successful submission
 */
export function createSubmitForm({ api, onQueued, onSubmitted }) {
  const form = byId('submit-form');
  const textarea = byId('urls');
  const button = byId('submit-button');
  const message = byId('submit-message');

  function say(text, kind) {
    setText(message, text);
    message.dataset.kind = kind;
  }

  async function submit() {
    const { links, problem } = parseLinks(textarea.value);
    if (problem) {
      say(problem, 'error');
      textarea.setAttribute('aria-invalid', 'true');
      textarea.focus();
      return;
    }
    textarea.removeAttribute('aria-invalid');
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    say(links.length === 1 ? 'Adding the download…' : `Adding ${links.length} downloads…`, 'info');
    try {
      if (links.length === 1) {
        const answer = await api.post('/download', { url: links[0] });
        onQueued(answer.downloadId, links[0]);
        say('Added to the queue.', 'success');
      } else {
        const answer = await api.post('/download/batch', { urls: links });
        (answer.downloads ?? []).forEach((id, index) => onQueued(id, links[index]));
        say(`Added ${answer.totalDownloads ?? links.length} downloads to the queue.`, 'success');
      }
      textarea.value = '';
      onSubmitted();
    } catch (error) {
      say(`Not added: ${error.message}`, 'error');
      textarea.focus();
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  }

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    submit();
  });
  // Enter makes a new line (one link per line); Ctrl+Enter or ⌘+Enter sends, as in most chat and mail apps.
  textarea.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
}
