/**
 * DiscussionNotes -> the canonical Markdown file of the discussion layout (reference:
 * ../shared/notes-discussion-format.md and the five canonical examples, e.g. vmm-2023-06-14.md):
 *
 *   ---
 *   title: "VMM WG, June 14, 2023"      always double-quoted; title and tags only when given
 *   tags: unikraft, vmm                 one comma-separated string
 *   datetime: 2023-06-14T10:00:00+02:00
 *   location: ...
 *   teams:
 *   - vmm                               list items at column 0
 *   participants:
 *   - Name
 *   ---
 *   (blank)
 *   ## :dart: Agenda                    the three sections in this order, each left out when empty;
 *   (blank)                             one blank line around every heading and between blocks
 *   - item
 *
 * Blocks are written as given; a line break inside a line becomes a space, trailing whitespace and blank
 * lines inside a block (which would end it) are dropped, so the output is always one file of the layout.
 */
import { packPieces } from '../chunks.ts';
import { yamlExtra, yamlList } from '../front-matter.ts';
import { SECTIONS } from '../headings.ts';
import { yamlDatetime, yamlDoubleQuoted, yamlScalar } from '../yaml-scalar.ts';
import type { DiscussionBlock, DiscussionNotes, ListItem } from './types.ts';

const OWN_KEYS: ReadonlySet<string> = new Set(['title', 'tags', 'datetime', 'location', 'teams', 'participants']);

function oneLine(text: string): string {
  return text.replace(/\r\n?|\n/g, ' ').trimEnd();
}

export function renderDiscussionFrontMatter(notes: DiscussionNotes): string {
  let out = '---\n';
  if (notes.title !== undefined) out += `title: ${yamlDoubleQuoted(notes.title)}\n`;
  if (notes.tags !== undefined && notes.tags.length > 0) out += `tags: ${yamlScalar(notes.tags.join(', '))}\n`;
  out += `datetime: ${yamlDatetime(notes.datetime)}\nlocation: ${yamlScalar(notes.location)}\n`;
  out += yamlList('teams', notes.teams, '');
  out += yamlList('participants', notes.participants, '');
  out += yamlExtra(notes.extra, OWN_KEYS);
  return `${out}---\n`;
}

/** Lines of a block's text: one line each, none blank (a blank line would end the block). */
function textLines(lines: readonly string[]): string[] {
  return lines.map(oneLine).filter((line) => line.trim() !== '');
}

function listLines(items: readonly ListItem[], indent: number): string[] {
  const out: string[] = [];
  for (const item of items) {
    const marker = item.ordered === true ? '1.' : '-';
    const text = oneLine(item.text);
    // Nested items and continuation lines start under the item's text, as the format writes them.
    const column = indent + marker.length + 1;
    out.push(`${' '.repeat(indent)}${marker}${text === '' ? '' : ` ${text}`}`);
    for (const line of textLines(item.continuation ?? [])) out.push(`${' '.repeat(column)}${line}`);
    out.push(...listLines(item.items ?? [], column));
  }
  return out;
}

/** One block as text, ending in a newline. */
export function renderDiscussionBlock(block: DiscussionBlock): string {
  let lines: string[];
  switch (block.kind) {
    case 'turn': {
      const [first = '', ...rest] = block.lines.map(oneLine);
      lines = [`${block.speakers.map(oneLine).join('/')}:${first === '' ? '' : ` ${first}`}`, ...textLines(rest)];
      break;
    }
    case 'text':
      lines = textLines(block.lines);
      break;
    case 'code':
      // Verbatim: a blank line inside a fence is content, not the end of the block.
      lines = block.lines.map(oneLine);
      break;
    case 'list':
      lines = listLines(block.items, 0);
      break;
    case 'heading': {
      const text = oneLine(block.text);
      lines = [`${'#'.repeat(Math.min(6, Math.max(1, block.level)))}${text === '' ? '' : ` ${text}`}`];
      break;
    }
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Lists next to each other made one: Markdown reads two lists with only a blank line between them as one. */
function joinLists(blocks: readonly DiscussionBlock[]): DiscussionBlock[] {
  const out: DiscussionBlock[] = [];
  for (const block of blocks) {
    const last = out[out.length - 1];
    if (block.kind === 'list' && last?.kind === 'list') out[out.length - 1] = { kind: 'list', items: [...last.items, ...block.items] };
    else out.push(block);
  }
  return out;
}

/**
 * The file in pieces that end at block boundaries (a heading stays with the block after it, so a message
 * never ends on a heading); their concatenation is the whole file.
 */
function pieces(notes: DiscussionNotes): string[] {
  const blocks: { text: string; heading: boolean }[] = [];
  for (const block of joinLists(notes.preamble ?? [])) blocks.push({ text: renderDiscussionBlock(block), heading: block.kind === 'heading' });
  for (const section of SECTIONS) {
    const rendered = joinLists(notes[section.key]).map((block) => ({ text: renderDiscussionBlock(block), heading: block.kind === 'heading' }));
    const content = rendered.filter((block) => block.text !== '');
    if (content.length === 0) continue;
    blocks.push({ text: `${section.heading}\n`, heading: true }, ...content);
  }
  const body = blocks.filter((block) => block.text !== '');
  const out = [renderDiscussionFrontMatter(notes) + (body.length > 0 ? '\n' : '')];
  let piece = '';
  body.forEach((block, i) => {
    piece += block.text + (i < body.length - 1 ? '\n' : '');
    if (!block.heading || i === body.length - 1) {
      out.push(piece);
      piece = '';
    }
  });
  return out;
}

export function renderDiscussion(notes: DiscussionNotes): string {
  return pieces(notes).join('');
}

/**
 * The file as at most `maxMessages` messages of at most `limit` characters (UTF-16 code units), split only
 * between blocks, as renderChunks does for the activities layout. Concatenated, the parts are exactly
 * renderDiscussion(notes); each is posted trimmed. Null when the notes do not fit so.
 */
export function renderDiscussionChunks(notes: DiscussionNotes, limit: number, maxMessages: number): string[] | null {
  return packPieces(pieces(notes), limit, maxMessages);
}
