/**
 * A rendered file split into Discord messages of at most `limit` characters, for both layouts. The
 * renderer gives the file as pieces that end where a message may end (after a person's block, after a
 * discussion block); their concatenation is the whole file.
 */

function splitLongLine(line: string, limit: number): string[] {
  const out: string[] = [];
  let current = '';
  for (const char of line) {
    if (current.length + char.length > limit) {
      out.push(current);
      current = '';
    }
    current += char;
  }
  if (current !== '') out.push(current);
  return out;
}

/**
 * Pieces packed into chunks of at most `limit` UTF-16 code units (never fewer than Discord counts). A
 * piece longer than the limit is split at line ends, and a single line longer than the limit at the limit
 * (never inside a surrogate pair). Concatenated, the chunks are exactly the pieces concatenated.
 */
export function chunkPieces(pieces: readonly string[], limit: number): string[] {
  if (!Number.isInteger(limit) || limit < 2) throw new RangeError(`renderChunks: limit must be an integer >= 2, got ${limit}`);
  const chunks: string[] = [];
  let current = '';
  const add = (piece: string): void => {
    if (current.length + piece.length <= limit) {
      current += piece;
      return;
    }
    if (current !== '') chunks.push(current);
    current = '';
    if (piece.length <= limit) {
      current = piece;
      return;
    }
    for (const line of piece.split(/(?<=\n)/)) {
      if (line.length > limit) {
        if (current !== '') chunks.push(current);
        current = '';
        const parts = splitLongLine(line, limit);
        const last = parts.pop() ?? '';
        chunks.push(...parts);
        current = last;
      } else if (current.length + line.length <= limit) {
        current += line;
      } else {
        chunks.push(current);
        current = line;
      }
    }
  };
  for (const piece of pieces) add(piece);
  if (current !== '') chunks.push(current);
  return chunks;
}
