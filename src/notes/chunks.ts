/**
 * A rendered file laid out as Discord messages, for both layouts. The renderer gives the file as pieces
 * that end where a message may end (after a person's block, after a discussion block); their
 * concatenation is the whole file. Discord stores a message's content trimmed of leading and trailing
 * whitespace, so each message is posted as its part of the file, trimmed: what is posted is what is stored.
 */

/** What Discord stores of a message's content: the content trimmed (and so what Scribe posts). */
export function storedContent(content: string): string {
  return content.trim();
}

function checkLimit(limit: number): void {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`message limit must be an integer >= 2, got ${limit}`);
}

/**
 * The pieces packed whole, in order, into parts whose stored content is at most `limit` UTF-16 code
 * units (never fewer than Discord counts): a part ends only where a piece ends. Concatenated, the parts
 * are exactly the pieces concatenated. Null when they need more than `maxMessages` parts, or a piece alone
 * is longer than the limit. Packing each part as full as it goes gives the fewest parts there can be.
 */
export function packPieces(pieces: readonly string[], limit: number, maxMessages: number): string[] | null {
  checkLimit(limit);
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (storedContent(current + piece).length <= limit) {
      current += piece;
      continue;
    }
    if (storedContent(piece).length > limit) return null;
    parts.push(current);
    current = piece;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return parts.length <= maxMessages ? parts : null;
}

/**
 * The first lines of `text`: the longest run of whole lines from its start, at most `maxLines` not blank,
 * whose stored content fits in `limit` UTF-16 code units. When even the first line does not fit, its
 * start, cut at the limit (never inside a surrogate pair). Always a prefix of `text`.
 */
export function firstLines(text: string, limit: number, maxLines: number): string {
  checkLimit(limit);
  let prefix = '';
  let count = 0;
  for (const line of text.split(/(?<=\n)/)) {
    if (count === maxLines || storedContent(prefix + line).length > limit) break;
    prefix += line;
    if (line.trim() !== '') count++;
  }
  if (storedContent(prefix) !== '' || text.trim() === '') return prefix;
  // The first line alone is too long: as much of it as fits, whole code points only.
  prefix = '';
  for (const char of text) {
    if (storedContent(prefix + char).length > limit) break;
    prefix += char;
  }
  return prefix;
}
