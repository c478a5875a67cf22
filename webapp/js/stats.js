// The statistics cards for the chosen period (GET /stats?period=…).

import { setText, showMessage } from './dom.js';
import * as format from './format.js';

const PERIOD_WORDS = {
  day: 'today',
  week: 'in the last 7 days',
  month: 'in the last 30 days',
  year: 'in the last 365 days',
};

/**
 * @param {object} nodes
 * @param {HTMLElement} nodes.successful
 * @param {HTMLElement} nodes.successRate
 * @param {HTMLElement} nodes.bandwidth
 * @param {HTMLElement} nodes.averageTime
 * @param {HTMLElement} nodes.note a sentence under the cards
 * @param {HTMLElement} nodes.message the section's error line
 */
export function createStatsView(nodes) {
  return {
    render(stats) {
      const finished = (stats.successfulDownloads ?? 0) + (stats.failedDownloads ?? 0);
      setText(nodes.successful, format.count(stats.successfulDownloads ?? 0));
      // With nothing finished a rate of "0 %" would read as "everything failed": show a dash instead.
      setText(nodes.successRate, finished > 0 ? format.ratio(stats.successRate) : '—');
      setText(nodes.bandwidth, format.bytes(stats.totalBandwidthUsed ?? 0));
      setText(nodes.averageTime, finished > 0 ? format.duration(stats.averageDownloadTime) : '—');
      setText(nodes.note, describe(stats));
      showMessage(nodes.message, '');
    },

    showError(text) {
      showMessage(nodes.message, `Statistics are unavailable: ${text}`);
    },
  };
}

function describe(stats) {
  const when = PERIOD_WORDS[stats.period] ?? '';
  const total = stats.totalDownloads ?? 0;
  if (total === 0) {
    return `Nothing has finished ${when} yet — completed downloads are counted here.`;
  }
  const parts = [`${format.plural(total, 'download')} ${when}`];
  if (stats.failedDownloads > 0) {
    parts.push(`${format.count(stats.failedDownloads)} failed`);
  }
  if (Number.isInteger(stats.peakHour)) {
    parts.push(`busiest hour ${String(stats.peakHour).padStart(2, '0')}:00 UTC`);
  }
  const top = stats.popularExtractors?.[0];
  if (top?.extractor) {
    parts.push(`mostly ${top.extractor}`);
  }
  return `${parts.join(', ')}.`;
}
