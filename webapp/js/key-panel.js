// The panel that asks for an API key (beside the sign-in form, sign-in-form.js): shown on the first visit,
// after "Forget key" or "Sign out", and when the server refuses the saved key or the session ends (with
// the reason, so a person knows why it is asking again).

import { byId, setText } from './dom.js';

/**
 * @param {(key: string) => Promise<string>} tryKey checks a key; resolves with '' when it works, or
 *        with a sentence saying why it does not
 */
export function createKeyPanel(tryKey) {
  const panel = byId('key-panel');
  const form = byId('key-form');
  const input = byId('api-key');
  const reason = byId('key-reason');
  const error = byId('key-error');
  const button = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const key = input.value.trim();
    if (!key) {
      setText(error, 'Enter the API key first.');
      input.focus();
      return;
    }
    button.disabled = true;
    setText(error, '');
    try {
      const problem = await tryKey(key);
      setText(error, problem);
      if (problem) {
        input.setAttribute('aria-invalid', 'true');
        input.select();
      } else {
        input.removeAttribute('aria-invalid');
        input.value = '';
      }
    } finally {
      button.disabled = false;
    }
  });

  return {
    /**
     * Shows the panel (sign-in and key entry), with an explanation when it is shown because something
     * went wrong; `focus` is the field to start in, the key's by default.
     */
    show(explanation = '', focus = input) {
      setText(reason, explanation);
      reason.hidden = !explanation;
      setText(error, '');
      panel.hidden = false;
      focus.focus();
    },

    hide() {
      panel.hidden = true;
    },
  };
}
