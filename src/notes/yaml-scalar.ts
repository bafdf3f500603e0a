/**
 * Front-matter scalars: plain where every YAML reader takes them back as the same string, double-quoted
 * otherwise. "Every reader" means the `yaml` package under both YAML 1.2 (core schema) and YAML 1.1, whose
 * readers (PyYAML, Jekyll, Hugo) take `yes`, `on` or `0o7` as something other than a string. A comma also
 * forces quotes in a list item, because our parser reads a plain `- A, B` item as two names (a hand-written
 * tolerance); `location`, a plain `key: value`, keeps its commas plain.
 */
import { Scalar, stringify } from 'yaml';

// Invisible or line-breaking characters are always quoted (and escaped), whatever a parser would accept.
const INVISIBLE = /[\p{C}\p{Zl}\p{Zp}]|(?! )\p{Zs}/u;

// A fast path that needs no YAML round trip: starts with a letter (so no number, date or indicator; `e1`
// excepted, which yaml treats as a float exponent) and holds only letters, marks, digits, `_`, `.` and `-`;
// minus the words YAML 1.1 reads as booleans or null. Fuzzed against the slow path: they agree.
const SIMPLE = /^(?![eE][-+]?\d)\p{L}[\p{L}\p{M}\p{N}_.-]*$/u;
const WORDS = new Set(['y', 'n', 'yes', 'no', 'on', 'off', 'true', 'false', 'null']);
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'gu');

const caches = { item: new Map<string, string>(), value: new Map<string, string>() };

function plainUnder(value: string, version: '1.1' | '1.2'): boolean {
  return stringify(value, { version, lineWidth: 0 }) === `${value}\n`;
}

export function yamlScalar(value: string, listItem = false): string {
  const cache = listItem ? caches.item : caches.value;
  const cached = cache.get(value);
  if (cached !== undefined) return cached;
  let out: string;
  if (SIMPLE.test(value) && !WORDS.has(value.toLowerCase())) {
    out = value;
  } else if (value !== '' && !INVISIBLE.test(value) && !(listItem && value.includes(',')) && plainUnder(value, '1.2') && plainUnder(value, '1.1')) {
    out = value;
  } else {
    out = yamlDoubleQuoted(value);
  }
  if (cache.size > 10_000) cache.clear();
  cache.set(value, out);
  return out;
}

/** A double-quoted scalar, whatever the value (the discussion layout's `title` is always quoted). */
export function yamlDoubleQuoted(value: string): string {
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_DOUBLE;
  // yaml leaves line separators, NBSP, BOM and the like raw inside quotes; YAML 1.1 readers take
  // U+2028/U+2029/U+0085 as line breaks there, so everything invisible is escaped.
  return stringify(scalar, { lineWidth: 0 })
    .replace(/\n$/, '')
    .replace(INVISIBLE_ALL, (char) => {
      const code = char.codePointAt(0) ?? 0;
      return code > 0xffff ? `\\U${code.toString(16).toUpperCase().padStart(8, '0')}` : `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    });
}

/** The datetime is written as is when it has the canonical shape (a YAML 1.1 timestamp, as in the notes). */
export function yamlDatetime(value: string): string {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/.test(value) ? value : yamlScalar(value);
}
