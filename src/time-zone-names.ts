/** IANA time zone names: whether one is known, and the known one a typo most likely meant. */

// Answers kept per name: building a DateTimeFormat costs ~0.1 ms, and a generated configuration of
// 10,000 series asks about the same few zones 10,000 times.
const answers = new Map<string, boolean>();

export function isIanaTimeZone(name: string): boolean {
  let known = answers.get(name);
  if (known === undefined) {
    known = checkTimeZone(name);
    answers.set(name, known);
  }
  return known;
}

function checkTimeZone(name: string): boolean {
  // Offsets such as "+01:00" are accepted by newer ICU builds but carry no daylight-saving rules.
  if (!/^[A-Za-z]/.test(name)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

export function closestTimeZone(name: string): string | undefined {
  const lower = name.toLowerCase();
  let best: { zone: string; distance: number } | undefined;
  for (const zone of Intl.supportedValuesOf('timeZone')) {
    const distance = editDistance(lower, zone.toLowerCase());
    if (!best || distance < best.distance) best = { zone, distance };
  }
  return best && best.distance <= 3 ? best.zone : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
