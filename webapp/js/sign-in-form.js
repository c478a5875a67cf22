// The sign-in form beside the key entry: username (or email) and password, and a sentence when the
// server says no (wrong credentials, too many attempts and how long to wait, a busy server).

import { byId, setText } from './dom.js';

/** How long to wait, in words: "30 seconds", "5 minutes". */
export function describeWait(seconds) {
  if (seconds < 90) {
    return seconds === 1 ? '1 second' : `${seconds} seconds`;
  }
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minutes`;
}

/** The sentence for a refused sign-in. */
export function describeSignInFailure(error) {
  switch (error.status) {
    case 401:
      return 'Wrong username or password. Check both and try again.';
    case 429:
      return error.retryAfter
        ? `Too many failed attempts. Try again in ${describeWait(error.retryAfter)}.`
        : 'Too many failed attempts. Wait a while, then try again.';
    case 503:
      return `The server is busy with other sign-ins. Try again in ${describeWait(error.retryAfter || 1)}.`;
    case 403:
      return 'This account may not sign in (it may have been disabled). Ask an admin.';
    default:
      return error.message;
  }
}

/**
 * @param {(username: string, password: string) => Promise<void>} signIn signs in and starts the page;
 *        rejects with the server's ApiError when refused
 */
export function createSignInForm(signIn) {
  const form = byId('sign-in-form');
  const username = byId('sign-in-username');
  const password = byId('sign-in-password');
  const error = byId('sign-in-error');
  const button = form.querySelector('button[type="submit"]');

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const name = username.value.trim();
    if (!name || !password.value) {
      setText(error, name ? 'Enter the password.' : 'Enter your username or email.');
      (name ? password : username).focus();
      return;
    }
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    setText(error, '');
    try {
      await signIn(name, password.value);
      password.removeAttribute('aria-invalid');
      password.value = '';
    } catch (failure) {
      setText(error, describeSignInFailure(failure));
      if (failure.status === 401) {
        password.setAttribute('aria-invalid', 'true');
        password.select();
      }
    } finally {
      button.disabled = false;
      form.removeAttribute('aria-busy');
    }
  });

  return {
    /** Clears what a previous attempt left, for when the panel is shown again. */
    reset() {
      setText(error, '');
      password.value = '';
      password.removeAttribute('aria-invalid');
    },
  };
}
