/**
 * What the tests check each posted notes message against: the part of the file it carries. Discord
 * stores a message trimmed, so a message is its part with the whitespace at both ends left out, and
 * nothing else changed.
 */

/**
 * The part of `file` each message carries, after checking that the messages, in order, are the file's
 * text with only whitespace between them, before the first and after the last. Part i runs from where
 * message i starts (the file's start for the first) to where message i + 1 starts (the file's end for
 * the last); concatenated, the parts are the file, and message i is exactly part i trimmed.
 */
export function partsCarried(file: string, contents: readonly string[]): string[] {
  const starts: number[] = [];
  let pos = 0;
  for (const content of contents) {
    while (pos < file.length && /\s/.test(file.charAt(pos))) pos++;
    if (content === '' || content !== content.trim() || !file.startsWith(content, pos)) {
      throw new Error(`message ${starts.length + 1} is not the file's text from offset ${pos}: ${JSON.stringify(content.slice(0, 80))}`);
    }
    starts.push(pos);
    pos += content.length;
  }
  if (file.slice(pos).trim() !== '') throw new Error(`the messages end at offset ${pos}, before the file does`);
  return starts.map((start, i) => file.slice(i === 0 ? 0 : start, starts[i + 1] ?? file.length));
}
