/** What a single line of a discussion body is: a speaker turn, a list marker, a code fence; and how its indentation is measured. */
// A speaker turn: initials or a one-word name, several joined by `/`, then a colon (`SK:`, `RD/VB: text`).
const TURN = /^(\p{Lu}[\p{L}\p{N}]*(?:\/\p{Lu}[\p{L}\p{N}]*)*):(?: (.*))?$/u;
export const MARKER = /^( *)([*+-]|\d{1,9}[.)])(?:( +)(.*))?$/;
export const FENCE = /^ {0,3}(`{3,}|~{3,})(.*)$/;

/** The speakers and text of a line that starts a speaker turn (`RD/MP: text`), or undefined. */
export function turnOf(line: string): { speakers: string[]; text: string } | undefined {
  const m = TURN.exec(line);
  return m ? { speakers: (m[1] ?? '').split('/'), text: m[2] ?? '' } : undefined;
}

/** The line with the tabs of its indentation expanded to tab stops of 4, as Markdown measures indentation. */
export function expandTabs(line: string): string {
  const indent = /^[ \t]*/.exec(line)?.[0] ?? '';
  if (!indent.includes('\t')) return line;
  let width = 0;
  for (const char of indent) width = char === '\t' ? width + 4 - (width % 4) : width + 1;
  return ' '.repeat(width) + line.slice(indent.length);
}

/** Whether a list item line may start a list right under a paragraph line (CommonMark's rule). */
export function interrupts(marker: string, text: string): boolean {
  return text !== '' && (/^[*+-]$/.test(marker) || /^1[.)]$/.test(marker));
}
