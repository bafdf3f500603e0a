/**
 * Notes -> the canonical Markdown file (template `activities`, reference: hackathon-2022-03-19.md):
 *
 *   ---
 *   datetime: 2022-03-19T09:00:00+01:00
 *   location: ...
 *   teams:
 *     - community
 *   participants:
 *     - RazvanD
 *   ---
 *   (blank)
 *   ## Summary of Activities
 *   (blank)
 *   Name / Other           one block per update; blocks separated by one blank line
 *   * bullet               continuation lines indented two spaces
 *   (blank)                only when the block has reference definitions, which follow it
 *   [1]: https://...       one a line; labels renumbered across the file (see references.ts)
 *
 * One final newline, no trailing whitespace. Front-matter values are plain unless YAML would misread them
 * (yaml-scalar.ts). A newline inside a name or a bullet is written as a space: it would break the layout.
 */
import { bulletLines } from './bullets.ts';
import { packPieces } from './chunks.ts';
import { yamlExtra, yamlList } from './front-matter.ts';
import { renumberBlock, renumberBlocks, reservedKeys } from './references.ts';
import type { Block, Notes } from './types.ts';
import { yamlDatetime, yamlScalar } from './yaml-scalar.ts';

export const SUMMARY_HEADING = '## Summary of Activities';

function oneLine(text: string): string {
  return /[\r\n]/.test(text) ? text.replace(/\r\n?|\n/g, ' ') : text;
}

const OWN_KEYS: ReadonlySet<string> = new Set(['datetime', 'location', 'teams', 'participants']);

/** The `---` front matter, both fences included, ending in a newline. */
export function renderFrontMatter(notes: Notes): string {
  let out = `---\ndatetime: ${yamlDatetime(notes.datetime)}\nlocation: ${yamlScalar(notes.location)}\n`;
  out += yamlList('teams', notes.teams, '  ');
  out += yamlList('participants', notes.participants, '  ');
  out += yamlExtra(notes.extra, OWN_KEYS);
  return `${out}---\n`;
}

/** A block whose labels are already final, ending in a newline. */
function blockText(block: Block): string {
  let out = `${oneLine(block.names.join(' / ')).trimEnd()}\n`;
  for (const bullet of block.bullets) {
    // An empty continuation line would end the bullet (a blank line), so it is left out.
    const continuation = bullet.continuation.map(oneLine).filter((line) => line.trim() !== '');
    for (const line of bulletLines({ text: oneLine(bullet.text), continuation })) out += `${line.trimEnd()}\n`;
  }
  if (block.references.length > 0) {
    out += '\n';
    for (const reference of block.references) out += `[${reference.label}]: ${reference.url}\n`;
  }
  return out;
}

/**
 * One block as text (ending in a newline), labels renumbered from `firstLabel` (default 1) in order of
 * first use. In the file the numbering runs across all blocks, so a block's labels there start after
 * those of the blocks above it: pass `firstLabel` (see `labelStarts`) to get the block exactly as the
 * file shows it; without it, the block reads as if it were the only one.
 */
export function renderBlock(block: Block, options: { firstLabel?: number; reserved?: ReadonlySet<string> } = {}): string {
  // `reserved`: the keys the whole file leaves unnumbered (reservedKeys of all its blocks).
  const { block: numbered } = renumberBlock(block, options.firstLabel ?? 1, options.reserved ?? reservedKeys([block]));
  return blockText(numbered);
}

/** The first label each block gets in the rendered file (parallel to `notes.blocks`). */
export function labelStarts(notes: Notes): number[] {
  const reserved = reservedKeys(notes.blocks);
  const starts: number[] = [];
  let next = 1;
  for (const block of notes.blocks) {
    starts.push(next);
    next = renumberBlock(block, next, reserved).next;
  }
  return starts;
}

/** The file in pieces that end at block boundaries; their concatenation is the whole file. */
function pieces(notes: Notes): string[] {
  const blocks = renumberBlocks(notes.blocks);
  const head = `${renderFrontMatter(notes)}\n${SUMMARY_HEADING}\n${blocks.length > 0 ? '\n' : ''}`;
  const out = [head];
  blocks.forEach((block, i) => out.push(blockText(block) + (i < blocks.length - 1 ? '\n' : '')));
  return out;
}

export function render(notes: Notes): string {
  return pieces(notes).join('');
}

/**
 * The file as at most `maxMessages` messages of at most `limit` characters (UTF-16 code units, which never
 * undercount what Discord counts), split only between people's blocks (see chunks.ts). Concatenated, the
 * parts are exactly render(notes); each is posted trimmed. Null when the notes do not fit so.
 */
export function renderChunks(notes: Notes, limit: number, maxMessages: number): string[] | null {
  return packPieces(pieces(notes), limit, maxMessages);
}
