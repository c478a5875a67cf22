// Event ids are Redis stream ids, "<milliseconds>-<sequence>", and they order every event the server
// publishes. Comparing them as two numbers (never as strings: "9-0" < "10-0") is how the page drops
// the copies it receives twice while two streams overlap during a token renewal.

const ID_PATTERN = /^(\d+)-(\d+)$/;

function parse(id) {
  const match = ID_PATTERN.exec(id ?? '');
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/**
 * Whether `id` comes after `lastSeen`. With nothing seen yet everything is new; an id the page cannot
 * parse is treated as new too, because dropping an event is worse than showing it twice.
 */
export function isAfter(id, lastSeen) {
  const candidate = parse(id);
  const reference = parse(lastSeen);
  if (!candidate || !reference) {
    return true;
  }
  const [ms, seq] = candidate;
  const [refMs, refSeq] = reference;
  return ms > refMs || (ms === refMs && seq > refSeq);
}
