// The few DOM helpers every view uses. Text always goes in through textContent: data from the server
// or from a URL is never parsed as markup.

/** Creates an element with an optional class and text. */
export function element(tag, className = '', text = '') {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }
  if (text) {
    node.textContent = text;
  }
  return node;
}

/** Sets text only when it changed, so screen readers and selections are not disturbed needlessly. */
export function setText(node, text) {
  const value = text ?? '';
  if (node.textContent !== value) {
    node.textContent = value;
  }
}

/** Shows a message in a section's message line, or hides the line when `text` is empty. */
export function showMessage(node, text, kind = 'error') {
  setText(node, text);
  node.dataset.kind = kind;
  node.hidden = !text;
}

/** Requires an element by id; a missing one is a bug in index.html, so fail loudly. */
export function byId(id) {
  const node = document.getElementById(id);
  if (!node) {
    throw new Error(`index.html lacks #${id}`);
  }
  return node;
}
