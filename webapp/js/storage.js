// The disk gauge: GET /storage when loading or polling, storage_update events (snake_case) when live.

import { setText, showMessage } from './dom.js';
import * as format from './format.js';

// Where the gauge changes colour; the words in the text change with it, so colour is never the only cue.
const WARNING_AT = 80;
const CRITICAL_AT = 95;

/**
 * @param {object} nodes
 * @param {HTMLElement} nodes.gauge #storage-gauge
 * @param {HTMLElement} nodes.detail a line under the gauge
 * @param {HTMLElement} nodes.message the section's error line
 */
export function createStorageView({ gauge, detail, message }) {
  const fill = gauge.querySelector('.gauge-fill');
  const text = gauge.querySelector('.gauge-text');
  let directory = '';

  function paint({ totalSpace, freeSpace, usagePercentage }) {
    const usage = Math.min(100, Math.max(0, Number(usagePercentage) || 0));
    const level = usage >= CRITICAL_AT ? 'critical' : usage >= WARNING_AT ? 'warning' : 'ok';
    const warning = level === 'critical' ? ' — almost full' : level === 'warning' ? ' — getting full' : '';
    const sentence = `${format.percent(usage)} used — ${format.bytes(freeSpace)} free${warning}`;
    gauge.dataset.usage = String(usage);
    gauge.dataset.level = level;
    gauge.setAttribute('aria-valuenow', String(usage));
    gauge.setAttribute('aria-valuetext', sentence);
    fill.style.width = `${usage}%`;
    setText(text, sentence);
    const where = directory ? `Downloads are saved in ${directory}. ` : '';
    setText(detail, `${where}${format.bytes(totalSpace)} disk in total.`);
    showMessage(message, '');
  }

  return {
    /** A GET /storage answer. */
    render(storage) {
      directory = storage.downloadDirectory ?? directory;
      paint(storage);
    },

    /** A live storage_update event. */
    applyLive(data) {
      paint({
        totalSpace: data.total_space,
        freeSpace: data.free_space,
        usagePercentage: data.usage_percentage,
      });
    },

    showError(textMessage) {
      showMessage(message, `Storage is unavailable: ${textMessage}`);
    },
  };
}
