// Turning numbers from the API into text a person reads. Every function accepts null/undefined and
// answers with a dash, because the API reports unknown values (a total size before the server has
// said it, an ETA before the speed settles) as null.

const UNKNOWN = '—';
// Decimal units, as disk makers and most download tools show them: a 50,000,000-byte file is "50.0 MB".
const BYTE_UNITS = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];

function isNumber(value) {
  return typeof value === 'number' && Number.isFinite(value);
}

/** 1234567 → "1.2 MB"; whole bytes below 1 kB, one decimal below 100 of a unit, none above. */
export function bytes(value) {
  if (!isNumber(value) || value < 0) {
    return UNKNOWN;
  }
  let amount = value;
  let unit = 0;
  while (amount >= 1000 && unit < BYTE_UNITS.length - 1) {
    amount /= 1000;
    unit += 1;
  }
  if (unit === 0) {
    return `${Math.round(amount)} B`;
  }
  const digits = amount < 100 ? 1 : 0;
  return `${amount.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** Bytes per second → "4.1 MB/s". */
export function speed(bytesPerSecond) {
  if (!isNumber(bytesPerSecond) || bytesPerSecond <= 0) {
    return UNKNOWN;
  }
  return `${bytes(bytesPerSecond)}/s`;
}

/** Seconds → "12 s", "3 min 20 s", "2 h 5 min", "3 d 4 h": the two largest units are enough. */
export function duration(seconds) {
  if (!isNumber(seconds) || seconds < 0) {
    return UNKNOWN;
  }
  if (seconds > 0 && seconds < 1) {
    return 'under 1 s';
  }
  const total = Math.round(seconds);
  if (total < 60) {
    return `${total} s`;
  }
  const parts = [
    [Math.floor(total / 86400), 'd'],
    [Math.floor((total % 86400) / 3600), 'h'],
    [Math.floor((total % 3600) / 60), 'min'],
    [total % 60, 's'],
  ];
  const first = parts.findIndex(([amount]) => amount > 0);
  return parts
    .slice(first, first + 2)
    .filter(([amount]) => amount > 0)
    .map(([amount, unit]) => `${amount} ${unit}`)
    .join(' ');
}

/** Seconds remaining → "ETA 12 s"; empty when unknown, so the line simply disappears. */
export function eta(seconds) {
  if (!isNumber(seconds) || seconds < 0) {
    return '';
  }
  return `ETA ${duration(seconds)}`;
}

/** 0..100 → "42 %"; whole numbers, except below 1 % where "0.4 %" says more than "0 %". */
export function percent(value) {
  if (!isNumber(value)) {
    return UNKNOWN;
  }
  const clamped = Math.min(100, Math.max(0, value));
  const digits = clamped > 0 && clamped < 1 ? 1 : 0;
  return `${clamped.toFixed(digits)} %`;
}

/** A ratio 0..1 (the API's successRate) → "87 %". */
export function ratio(value) {
  return isNumber(value) ? percent(value * 100) : UNKNOWN;
}

/** "12.3 MB of 50.0 MB", or just "12.3 MB" while the total is unknown. */
export function bytesOf(done, total) {
  if (isNumber(total) && total > 0) {
    return `${bytes(done ?? 0)} of ${bytes(total)}`;
  }
  return isNumber(done) && done > 0 ? bytes(done) : '';
}

/** A plain count with the reader's digit grouping: 12345 → "12,345". */
export function count(value) {
  return isNumber(value) ? value.toLocaleString() : UNKNOWN;
}

/** An ISO timestamp → local clock time, with the date when it is not today. */
export function time(iso) {
  const date = iso ? new Date(iso) : null;
  if (!date || Number.isNaN(date.getTime())) {
    return '';
  }
  const now = new Date();
  const sameDay = date.toDateString() === now.toDateString();
  const options = sameDay
    ? { hour: '2-digit', minute: '2-digit' }
    : { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit' };
  return date.toLocaleString(undefined, options);
}

/** A calendar date "2026-11-22" → "Sun 22 Nov" (read as a UTC day, which is how the server counts). */
export function day(isoDate, options = { weekday: 'short', day: 'numeric', month: 'short' }) {
  const date = new Date(`${isoDate}T00:00:00Z`);
  if (Number.isNaN(date.getTime())) {
    return isoDate ?? '';
  }
  return date.toLocaleDateString(undefined, { ...options, timeZone: 'UTC' });
}

/** "1 download", "3 downloads". */
export function plural(amount, singular, pluralForm = `${singular}s`) {
  return `${count(amount)} ${amount === 1 ? singular : pluralForm}`;
}
