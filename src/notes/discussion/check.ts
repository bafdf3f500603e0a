/**
 * `check` for the discussion layout: what the format document lists under "what people get wrong", and
 * what the activities check reports that applies here, with 1-based lines:
 * - everything the parser tolerated (parse.ts, blocks.ts): headings with a wrong or missing emoji,
 *   trailing spaces, doubled blank lines, `*` bullets, lists glued to the line above, ...;
 * - the datetime: malformed or without seconds, no real day or time, (with a zone) an offset that is not
 *   the zone's that day, (with the file's date) on another day than the file's;
 * - the title: missing (the older generation), not `"<Topic>, <Month> <D>, <YYYY>"`, or on another day
 *   than the datetime; missing tags;
 * - placeholders (`TODO`, `TO FILL`, `Name`, `Participant1`) in the front matter and at the start of a block;
 * - a `[1]` or `[text][label]` reference with no `[label]: url` definition in the file;
 * - a speaker turn that does not start a paragraph (`AB:` in the middle of another's turn, where AB
 *   speaks elsewhere in the file); a sub-heading in the Agenda; a heading that names no section at level
 *   1 or 2; text before the first section; a code fence never closed.
 */
import { checkDatetime, checkFileDate, type CheckOptions, type Finding } from '../check-common.ts';
import { assertTimeZone } from '../datetime.ts';
import { isPlaceholderName, isPlaceholderText } from '../placeholders.ts';
import { labelKey } from '../references.ts';
import type { Place } from './blocks.ts';
import { FENCE, turnOf } from './line-kinds.ts';
import { parseDiscussion } from './parse.ts';
import { titleParts } from './title.ts';
import type { DiscussionBlock, DiscussionBlockLines, ListItem, ParsedDiscussion } from './types.ts';

const PLACES: readonly Place[] = ['preamble', 'agenda', 'discussion', 'todos'];

/** A line of text a block shows (list markers and turn prefixes aside), with its source line. */
interface TextLine {
  readonly text: string;
  readonly line: number;
  /** The first line of a block or list item: where a placeholder would stand. */
  readonly first: boolean;
}

function itemLines(items: readonly ListItem[], source: readonly number[], at: { i: number }): TextLine[] {
  const out: TextLine[] = [];
  for (const item of items) {
    out.push({ text: item.text, line: source[at.i++] ?? 0, first: true });
    for (const text of item.continuation ?? []) out.push({ text, line: source[at.i++] ?? 0, first: false });
    out.push(...itemLines(item.items ?? [], source, at));
  }
  return out;
}

function textLines(block: DiscussionBlock, where: DiscussionBlockLines): TextLine[] {
  const source = where.lines;
  switch (block.kind) {
    case 'turn':
    case 'text':
      return block.lines.map((text, i) => ({ text, line: source[i] ?? 0, first: i === 0 }));
    case 'list':
      return itemLines(block.items, source, { i: 0 });
    case 'heading':
      return [{ text: block.text, line: source[0] ?? 0, first: true }];
    case 'code':
      return [];
  }
}

function* blocksOf(notes: ParsedDiscussion): Generator<{ place: Place; block: DiscussionBlock; where: DiscussionBlockLines }> {
  for (const place of PLACES) {
    const blocks = place === 'preamble' ? (notes.preamble ?? []) : notes[place];
    const lines = notes.lines[place];
    for (let i = 0; i < blocks.length; i += 1) {
      const block = blocks[i];
      if (block) yield { place, block, where: lines[i] ?? { lines: [] } };
    }
  }
}

function checkTitle(notes: ParsedDiscussion, findings: Finding[]): void {
  if (notes.title === undefined) {
    findings.push({ line: 1, code: 'missing-key', message: 'front matter has no "title"; the current layout writes title: "<Topic>, <Month> <D>, <YYYY>"' });
  } else {
    const parts = titleParts(notes.title);
    const date = /^(\d{4}-\d{2}-\d{2})T/.exec(notes.datetime)?.[1];
    if (!parts) {
      findings.push({ line: notes.lines.title, code: 'title-form', message: `title "${notes.title}" is not in the form "<Topic>, <Month> <D>, <YYYY>"` });
    } else if (date !== undefined && parts.date !== date) {
      findings.push({ line: notes.lines.title, code: 'title-date', message: `title "${notes.title}" names another day than the datetime (${date})` });
    }
  }
  if (notes.tags === undefined)
    findings.push({ line: 1, code: 'missing-key', message: 'front matter has no "tags"; the current layout writes tags: unikraft, <team>' });
}

function checkPlaceholders(notes: ParsedDiscussion, findings: Finding[]): void {
  const flag = (line: number, what: string, value: string): void => {
    findings.push({ line, code: 'placeholder', message: `${what} "${value}" is a placeholder` });
  };
  if (notes.title !== undefined && isPlaceholderText(notes.title)) flag(notes.lines.title, 'title', notes.title);
  if (isPlaceholderText(notes.location)) flag(notes.lines.location, 'location', notes.location);
  for (const key of ['teams', 'participants'] as const) {
    notes[key].forEach((name, i) => {
      if (isPlaceholderName(name) || isPlaceholderText(name)) flag(notes.lines[key][i] ?? 0, key === 'teams' ? 'team' : 'participant', name);
    });
  }
  for (const { block, where } of blocksOf(notes)) {
    if (block.kind === 'turn' && block.speakers.some(isPlaceholderName)) flag(where.lines[0] ?? 0, 'speaker', block.speakers.join('/'));
    for (const { text, line, first } of textLines(block, where)) if (first && isPlaceholderText(text)) flag(line, 'text', text);
  }
}

// `[label]: url` at the start of a line; a use is `[text][label]`, `[label][]`, or `[1]` alone (numbers
// only: a bare `[WIP]` is text, not a reference); inline code is skipped.
const DEFINITION = /^ {0,3}\[([^\]]+)\]:\s*\S/;
const USE = /\[([^\]]+)\]\[([^\]]*)\]|\[(\d+)\](?![([:])/g;

function checkReferences(notes: ParsedDiscussion, findings: Finding[]): void {
  const lines = [...blocksOf(notes)].flatMap(({ block, where }) => textLines(block, where));
  const defined = new Set<string>();
  for (const { text } of lines) {
    const m = DEFINITION.exec(text);
    if (m?.[1]) defined.add(labelKey(m[1]));
  }
  for (const { text, line } of lines) {
    if (DEFINITION.test(text)) continue;
    for (const use of text.replace(/`[^`]*`/g, (code) => ' '.repeat(code.length)).matchAll(USE)) {
      const label = use[3] ?? (use[2] === '' || use[2] === undefined ? use[1] : use[2]) ?? '';
      if (!defined.has(labelKey(label))) findings.push({ line, code: 'undefined-label', message: `[${label}] is used but defined nowhere in the file` });
    }
  }
}

function checkBlocks(notes: ParsedDiscussion, findings: Finding[]): void {
  const speakers = new Set<string>();
  for (const { block } of blocksOf(notes)) if (block.kind === 'turn') for (const speaker of block.speakers) speakers.add(speaker);
  for (const { place, block, where } of blocksOf(notes)) {
    const first = where.lines[0] ?? 0;
    if (place === 'preamble') {
      findings.push({ line: first, code: 'preamble', message: 'text before the first section; the format starts the body with "## :dart: Agenda"' });
    }
    if (block.kind === 'heading') {
      if (place === 'agenda')
        findings.push({
          line: first,
          code: 'agenda-heading',
          message: 'a sub-heading in the Agenda; the format has sub-headings only in Discussions and TODOs',
        });
      else if (block.level <= 2) {
        findings.push({
          line: first,
          code: 'unknown-section',
          message: `heading "${'#'.repeat(block.level)} ${block.text}" is not a section of the format (Agenda, Discussions, TODOs and Decisions); a topic is a ### sub-heading`,
        });
      }
    }
    if (block.kind === 'code') {
      // Markdown runs an unclosed fence to the end of the file, sections below it included.
      const open = FENCE.exec(block.lines[0] ?? '')?.[1] ?? '';
      const close = block.lines.length > 1 ? FENCE.exec(block.lines[block.lines.length - 1] ?? '') : null;
      if (!close?.[1] || close[1][0] !== open[0] || close[1].length < open.length || (close[2] ?? '').trim() !== '') {
        findings.push({ line: first, code: 'unclosed-fence', message: 'code block not closed; Markdown reads the rest of the file as code' });
      }
    }
    if (block.kind === 'turn' || block.kind === 'text') {
      block.lines.forEach((text, i) => {
        const turn = i > 0 ? turnOf(text) : undefined;
        if (turn?.speakers.every((speaker) => speakers.has(speaker))) {
          findings.push({
            line: where.lines[i] ?? first,
            code: 'turn-glued',
            message: `"${turn.speakers.join('/')}:" starts a speaker turn inside a paragraph; the format starts each turn as a paragraph of its own (a blank line before it)`,
          });
        }
      });
    }
  }
}

export function checkDiscussionParsed(notes: ParsedDiscussion, options: CheckOptions = {}): Finding[] {
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
  const findings: Finding[] = notes.warnings.map((warning) => ({ line: warning.line, code: warning.code, message: warning.message }));
  checkDatetime(notes.datetime, notes.lines.datetime, options.timeZone, findings);
  checkFileDate(notes.datetime, notes.lines.datetime, options.fileDate, findings);
  checkTitle(notes, findings);
  checkPlaceholders(notes, findings);
  checkReferences(notes, findings);
  checkBlocks(notes, findings);
  return findings.sort((a, b) => a.line - b.line);
}

/** Findings for a file in the discussion layout, sorted by line. Throws NotesInputError for an unknown time zone. */
export function checkDiscussion(text: string, options: CheckOptions = {}): Finding[] {
  return checkDiscussionParsed(parseDiscussion(text), options);
}
