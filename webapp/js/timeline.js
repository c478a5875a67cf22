// Downloads per day as an inline SVG bar chart with the success rate drawn over it as a line.
// Drawn by hand (no chart library, no external assets) at the container's real pixel width, and
// redrawn when that width changes, so labels keep a readable size on a phone instead of shrinking
// with a scaled viewBox.

import { element, setText, showMessage } from './dom.js';
import * as format from './format.js';

const SVG = 'http://www.w3.org/2000/svg';
const HEIGHT = 200;
const MARGIN = { top: 12, right: 44, bottom: 26, left: 36 };
const TREND_WORDS = { increasing: 'rising', decreasing: 'falling', stable: 'steady' };
const RANGE_WORDS = { week: 'the last 7 days', month: 'the last 30 days', year: 'the last 365 days' };

function svgNode(tag, attributes = {}, className = '') {
  const node = document.createElementNS(SVG, tag);
  if (className) {
    node.setAttribute('class', className);
  }
  for (const [name, value] of Object.entries(attributes)) {
    node.setAttribute(name, String(value));
  }
  return node;
}

function withTitle(node, text) {
  const title = svgNode('title');
  title.textContent = text;
  node.append(title);
  return node;
}

/** A round upper bound for the axis: 1, 2, 5, 10, 20, 50 … */
function niceCeiling(value) {
  if (value <= 1) {
    return 1;
  }
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return [1, 2, 5, 10].map((step) => step * magnitude).find((candidate) => candidate >= value);
}

/** Which days get a label under the axis: all of a week, every fifth of a month, month starts of a year. */
function labelFor(day, index, count) {
  if (count <= 7) {
    return format.day(day.date, { weekday: 'short' });
  }
  if (count <= 31) {
    return index % 5 === 0 || index === count - 1 ? format.day(day.date, { day: 'numeric', month: 'short' }) : '';
  }
  return day.date.endsWith('-01') ? format.day(day.date, { month: 'short' }) : '';
}

function describeDay(day) {
  const parts = [`${format.day(day.date)}: ${format.plural(day.downloads, 'download')}`];
  if (day.downloads > 0) {
    parts.push(`${format.ratio(day.successRate)} succeeded`, format.bytes(day.totalSize));
  }
  return parts.join(', ');
}

/**
 * @param {object} nodes
 * @param {HTMLElement} nodes.container #timeline
 * @param {HTMLElement} nodes.summary #timeline-summary
 * @param {HTMLElement} nodes.message the section's error line
 */
export function createTimelineView({ container, summary, message }) {
  let days = [];
  let drawnWidth = 0;

  function draw() {
    const width = Math.max(280, Math.round(container.clientWidth || 640));
    drawnWidth = width;
    const plotWidth = width - MARGIN.left - MARGIN.right;
    const plotHeight = HEIGHT - MARGIN.top - MARGIN.bottom;
    const bottom = MARGIN.top + plotHeight;
    const ceiling = niceCeiling(Math.max(0, ...days.map((day) => day.downloads)));
    const slot = days.length > 0 ? plotWidth / days.length : plotWidth;
    // Thin bars for a year, but never slabs for a week on a wide screen.
    const barWidth = Math.min(40, Math.max(1, slot * (days.length > 60 ? 0.9 : 0.7)));

    const svg = svgNode('svg', {
      viewBox: `0 0 ${width} ${HEIGHT}`,
      width,
      height: HEIGHT,
      role: 'img',
      'aria-labelledby': summary.id,
    }, 'timeline-chart');

    // Grid and both axes' labels: downloads on the left, success rate on the right.
    const grid = svgNode('g', {}, 'grid');
    for (const fraction of [0, 0.5, 1]) {
      const y = bottom - fraction * plotHeight;
      grid.append(svgNode('line', { x1: MARGIN.left, x2: width - MARGIN.right, y1: y, y2: y }, fraction === 0 ? 'axis' : 'gridline'));
      const count = ceiling * fraction;
      if (Number.isInteger(count)) {
        const label = svgNode('text', { x: MARGIN.left - 6, y: y + 4, 'text-anchor': 'end' }, 'axis-label');
        label.textContent = String(count);
        grid.append(label);
      }
      const rate = svgNode('text', { x: width - MARGIN.right + 6, y: y + 4 }, 'axis-label rate-label');
      rate.textContent = `${fraction * 100} %`;
      grid.append(rate);
    }
    svg.append(grid);

    const bars = svgNode('g', {}, 'bars');
    const labels = svgNode('g', {}, 'day-labels');
    const points = [];
    days.forEach((day, index) => {
      const centre = MARGIN.left + slot * index + slot / 2;
      const height = (day.downloads / ceiling) * plotHeight;
      const bar = svgNode('rect', {
        x: (centre - barWidth / 2).toFixed(1),
        y: (bottom - height).toFixed(1),
        width: barWidth.toFixed(1),
        height: height.toFixed(1),
        rx: Math.min(3, barWidth / 3).toFixed(1),
        'data-date': day.date,
        'data-downloads': day.downloads,
      }, 'bar');
      bars.append(withTitle(bar, describeDay(day)));
      const text = labelFor(day, index, days.length);
      if (text) {
        const label = svgNode('text', { x: centre.toFixed(1), y: HEIGHT - 8, 'text-anchor': 'middle' }, 'axis-label');
        label.textContent = text;
        labels.append(label);
      }
      // The rate of a day without downloads is not 0 %, it is unknown: such days get no point.
      if (day.downloads > 0) {
        points.push({ x: centre, y: bottom - (day.successRate ?? 0) * plotHeight, day });
      }
    });
    svg.append(bars, labels);

    const line = svgNode('polyline', {
      points: points.map((point) => `${point.x.toFixed(1)},${point.y.toFixed(1)}`).join(' '),
    }, 'rate-line');
    svg.append(line);
    for (const point of points) {
      const dot = svgNode('circle', { cx: point.x.toFixed(1), cy: point.y.toFixed(1), r: 3 }, 'rate-point');
      svg.append(withTitle(dot, `${format.day(point.day.date)}: ${format.ratio(point.day.successRate)} succeeded`));
    }

    container.replaceChildren(svg, dataTable());
  }

  // The same numbers as a table for screen readers, which cannot look at bar heights.
  function dataTable() {
    const table = element('table', 'visually-hidden');
    const caption = element('caption', '', 'Downloads per day');
    const head = element('tr');
    for (const name of ['Day', 'Downloads', 'Success rate', 'Size']) {
      const cell = element('th', '', name);
      cell.scope = 'col';
      head.append(cell);
    }
    const body = element('tbody');
    for (const day of days) {
      const row = element('tr');
      row.append(
        element('td', '', format.day(day.date)),
        element('td', '', format.count(day.downloads)),
        element('td', '', day.downloads > 0 ? format.ratio(day.successRate) : '—'),
        element('td', '', format.bytes(day.totalSize)),
      );
      body.append(row);
    }
    const thead = element('thead');
    thead.append(head);
    table.append(caption, thead, body);
    return table;
  }

  let pendingFrame = 0;
  new ResizeObserver(() => {
    cancelAnimationFrame(pendingFrame);
    pendingFrame = requestAnimationFrame(() => {
      if (days.length > 0 && Math.round(container.clientWidth) !== drawnWidth) {
        draw();
      }
    });
  }).observe(container);

  return {
    /** @param {Array} timeline GET /timeline; @param {object|null} totals GET /timeline/summary */
    render(timeline, totals, period) {
      days = Array.isArray(timeline) ? timeline : [];
      draw();
      setText(summary, summarise(days, totals, period));
      showMessage(message, '');
    },

    showError(text) {
      showMessage(message, `The timeline is unavailable: ${text}`);
    },
  };
}

function summarise(days, totals, period) {
  const range = RANGE_WORDS[period] ?? `the last ${days.length} days`;
  const total = totals?.totalDownloads ?? days.reduce((sum, day) => sum + day.downloads, 0);
  if (total === 0) {
    return `No downloads in ${range} yet — each finished download adds to its day here.`;
  }
  const sentences = [`${format.plural(total, 'download')} in ${range}`];
  if (totals) {
    sentences[0] += `, ${format.ratio(totals.successRate)} succeeded, ${format.bytes(totals.totalSize)} in all.`;
    if (totals.peakDay) {
      sentences.push(`Busiest day: ${format.day(totals.peakDay)} (${format.count(totals.peakDownloads)}).`);
    }
    if (TREND_WORDS[totals.trend]) {
      sentences.push(`Trend: ${TREND_WORDS[totals.trend]}.`);
    }
  } else {
    sentences[0] += '.';
  }
  return sentences.join(' ');
}
