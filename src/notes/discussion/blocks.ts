/**
 * The body of a discussion file -> sections of blocks, tolerating what people write by hand with a
 * warning and a 1-based line for each thing the canonical form writes differently:
 *   headings: `###` or other levels for a section, a missing or other emoji, another spelling of the
 *     name, a missing blank line before or after, a section written twice or out of order, an empty one;
 *   lists: `*`/`+` bullets, numbers other than `1.`, indentation other than under the parent's text,
 *     more than one space after the marker, blank lines between items, a list glued to the line above;
 *   blocks glued together (a code fence), doubled blank lines.
 * Text is kept as written: a paragraph's lines, a turn's lines after `AB: `, code between its fences.
 */
import { SECTIONS, headingOf, sectionOf, type SectionKey } from '../headings.ts';
import type { Warnings } from '../lines.ts';
import { FENCE, MARKER, expandTabs, interrupts, turnOf } from './line-kinds.ts';
import type { DiscussionBlock, DiscussionBlockLines, ListItem } from './types.ts';

export type Place = 'preamble' | SectionKey;

interface DraftItem {
  text: string;
  ordered: boolean;
  continuation: string[];
  items: DraftItem[];
  /** Where the item's text starts, as written and as the canonical form writes it (nested items go there). */
  column: number;
  canonicalColumn: number;
}

type Draft =
  | { kind: 'turn'; speakers: string[]; lines: string[]; source: number[] }
  | { kind: 'text'; lines: string[]; source: number[] }
  | { kind: 'list'; items: DraftItem[]; stack: DraftItem[]; source: number[] }
  | { kind: 'code'; lines: string[]; source: number[]; fence: string; open: boolean }
  | { kind: 'heading'; level: number; text: string; source: number[] };

export interface Sections {
  blocks: Record<Place, DiscussionBlock[]>;
  lines: Record<Place, DiscussionBlockLines[]>;
  headings: Record<SectionKey, number>;
}

function item(draft: DraftItem): ListItem {
  const out: { text: string; ordered?: boolean; continuation?: string[]; items?: ListItem[] } = { text: draft.text };
  if (draft.ordered) out.ordered = true;
  if (draft.continuation.length > 0) out.continuation = draft.continuation;
  if (draft.items.length > 0) out.items = draft.items.map(item);
  return out;
}

function block(draft: Draft): DiscussionBlock {
  switch (draft.kind) {
    case 'turn':
      return { kind: 'turn', speakers: draft.speakers, lines: draft.lines };
    case 'text':
      return { kind: 'text', lines: draft.lines };
    case 'list':
      return { kind: 'list', items: draft.items.map(item) };
    case 'code':
      return { kind: 'code', lines: draft.lines };
    case 'heading':
      return { kind: 'heading', level: draft.level, text: draft.text };
  }
}

/**
 * Reads `lines[start..]` (already cleaned: LF, no trailing whitespace). With `sections`, the three section
 * headings switch sections; without (a fragment such as a typed note), every heading is a block.
 * `afterFrontMatter`: a blank line is due before the first block.
 */
export function readBody(lines: readonly string[], start: number, warnings: Warnings, options: { sections: boolean; afterFrontMatter: boolean }): Sections {
  const out: Sections = {
    blocks: { preamble: [], agenda: [], discussion: [], todos: [] },
    lines: { preamble: [], agenda: [], discussion: [], todos: [] },
    headings: { agenda: 0, discussion: 0, todos: 0 },
  };
  const drafts: Record<Place, Draft[]> = { preamble: [], agenda: [], discussion: [], todos: [] };
  let place: Place = 'preamble';
  let current: Draft | undefined;
  // What the last non-blank line belonged to: a blank line is due between it and the next block.
  let previous: 'none' | 'front-matter' | 'block' | 'heading' = options.afterFrontMatter ? 'front-matter' : 'none';
  let blanks = 0;
  let sectionHeading: { line: number; blocks: number } | undefined;
  const emptySections: number[] = [];

  const headingSpacing = (lineNo: number): void => {
    const where =
      previous === 'front-matter' ? 'between the front matter and the heading' : previous === 'heading' ? 'after the heading' : 'before the heading';
    warnings.add(lineNo, 'heading-spacing', `no blank line ${where}; the format has one`);
  };

  const open = (draft: Draft, lineNo: number, glued: boolean): void => {
    // One warning for a missing blank line, named after what it separates.
    if (glued && previous !== 'none') {
      if (draft.kind === 'heading' || previous === 'heading') {
        headingSpacing(lineNo);
      } else if (draft.kind === 'list' && (current?.kind === 'turn' || current?.kind === 'text')) {
        warnings.add(lineNo, 'list-glued', 'list glued to the line that introduces it; the format puts a blank line before a list');
      } else {
        const what = previous === 'front-matter' ? 'the front matter' : 'the block above';
        warnings.add(lineNo, 'block-spacing', `block glued to ${what}; the format separates blocks with a blank line`);
      }
    }
    drafts[place].push(draft);
    if (sectionHeading) sectionHeading.blocks += 1;
    current = draft;
    previous = draft.kind === 'heading' ? 'heading' : 'block';
  };

  const addItem = (
    list: Extract<Draft, { kind: 'list' }>,
    lineNo: number,
    indent: number,
    marker: string,
    spaces: string,
    text: string,
    tabs: boolean,
  ): void => {
    const ordered = !/^[*+-]$/.test(marker);
    while (list.stack.length > 0 && (list.stack[list.stack.length - 1]?.column ?? 0) > indent) list.stack.pop();
    const parent = list.stack[list.stack.length - 1];
    const canonicalIndent = parent ? parent.canonicalColumn : 0;
    const draft: DraftItem = {
      text,
      ordered,
      continuation: [],
      items: [],
      column: indent + marker.length + (text === '' ? 1 : spaces.length),
      canonicalColumn: canonicalIndent + (ordered ? 3 : 2),
    };
    (parent ? parent.items : list.items).push(draft);
    list.stack.push(draft);
    list.source.push(lineNo);
    if (marker === '*' || marker === '+') warnings.add(lineNo, 'bullet-marker', `"${marker}" bullet; the format writes "- "`);
    else if (ordered && marker !== '1.') warnings.add(lineNo, 'ordered-number', `"${marker}" item; the format writes "1." on every item of an ordered list`);
    if (tabs) {
      warnings.add(lineNo, 'list-indent', `list item indented with a tab; the format indents with ${canonicalIndent} spaces`);
    } else if (indent !== canonicalIndent) {
      warnings.add(
        lineNo,
        'list-indent',
        parent
          ? `nested item indented by ${indent} spaces; the format indents it under its parent's text (${canonicalIndent})`
          : `list item indented by ${indent} spaces; the format starts lists at the margin`,
      );
    }
    if (spaces.length > 1 && text !== '') warnings.add(lineNo, 'bullet-spacing', `${spaces.length} spaces after the list marker; the format writes one`);
  };

  const continueItem = (list: Extract<Draft, { kind: 'list' }>, lineNo: number, raw: string): void => {
    const target = list.stack[list.stack.length - 1];
    if (!target) return;
    const line = expandTabs(raw);
    const indent = line.length - line.trimStart().length;
    // Indentation beyond the item's text is kept (it may mean something); less than that is dropped.
    const kept = indent >= target.column ? line.slice(target.column) : line.trimStart();
    target.continuation.push(kept);
    list.source.push(lineNo);
    if (' '.repeat(target.canonicalColumn) + kept !== raw) {
      const how = line === raw ? `by ${indent} spaces` : 'with a tab';
      warnings.add(
        lineNo,
        'continuation-indent',
        `list item continued by a line indented ${how}; the format indents it under the item's text (${target.canonicalColumn})`,
      );
    }
  };

  for (let i = start; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const line = lines[i] ?? '';

    if (current?.kind === 'code' && current.open) {
      current.lines.push(line);
      current.source.push(lineNo);
      const close = FENCE.exec(line);
      if (close?.[1] && close[1][0] === current.fence[0] && close[1].length >= current.fence.length && (close[2] ?? '').trim() === '') {
        current.open = false;
        previous = 'block';
      }
      continue;
    }

    if (line === '') {
      blanks += 1;
      if (blanks >= 2 || previous === 'none')
        warnings.add(lineNo, 'blank-lines', previous === 'none' ? 'blank line before the first block' : 'two blank lines in a row; the format has one');
      continue;
    }
    const glued = blanks === 0;
    const blankLine = lineNo - blanks;
    blanks = 0;

    const heading = headingOf(line);
    const section = heading && options.sections && heading.level <= 3 ? sectionOf(heading.text) : undefined;
    const canonical = section && SECTIONS.find((s) => s.key === section.key);
    if (heading && section && canonical) {
      if (glued && previous !== 'none') headingSpacing(lineNo);
      if (heading.level !== 2) warnings.add(lineNo, 'heading-level', `section heading of level ${heading.level}; the format writes "${canonical.heading}"`);
      if (section.emoji !== canonical.emoji) {
        const what = section.emoji === '' ? 'without its emoji' : `with "${section.emoji}"`;
        warnings.add(lineNo, 'heading-emoji', `section heading ${what}; the format writes "${canonical.heading}"`);
      }
      if (section.name !== canonical.name) warnings.add(lineNo, 'heading-name', `section named "${section.name}"; the format writes "${canonical.heading}"`);
      if (sectionHeading && sectionHeading.blocks === 0) emptySections.push(sectionHeading.line);
      const order = SECTIONS.indexOf(canonical);
      const currentOrder = SECTIONS.findIndex((s) => s.key === place);
      if (out.headings[section.key] !== 0) {
        warnings.add(
          lineNo,
          'duplicate-section',
          `second "${canonical.name}" section (the first is at line ${out.headings[section.key]}); its blocks join the first`,
        );
      } else {
        if (order < currentOrder) {
          warnings.add(
            lineNo,
            'section-order',
            `"${canonical.name}" after a later section; the format writes Agenda, Discussions, TODOs and Decisions in that order`,
          );
        }
        out.headings[section.key] = lineNo;
      }
      place = section.key;
      sectionHeading = { line: lineNo, blocks: 0 };
      current = undefined;
      previous = 'heading';
      continue;
    }
    if (heading) {
      open({ kind: 'heading', level: heading.level, text: heading.text, source: [lineNo] }, lineNo, glued);
      current = undefined;
      continue;
    }

    // An indented fence right under a list item continues the item (where the canonical form indents it).
    const fence = glued && current?.kind === 'list' && /^[ \t]/.test(line) ? null : FENCE.exec(line);
    if (fence?.[1] && !(fence[1][0] === '`' && (fence[2] ?? '').includes('`'))) {
      open({ kind: 'code', lines: [line], source: [lineNo], fence: fence[1], open: true }, lineNo, glued);
      continue;
    }

    const listLine = expandTabs(line);
    const marker = MARKER.exec(listLine);
    const inParagraph = current?.kind === 'turn' || current?.kind === 'text';
    if (marker) {
      const [, indent = '', symbol = '', spaces = '', text = ''] = marker;
      const tabs = listLine !== line;
      if (current?.kind === 'list') {
        if (!glued) warnings.add(blankLine, 'blank-between-items', 'blank line between list items; the format has none');
        addItem(current, lineNo, indent.length, symbol, spaces, text, tabs);
        continue;
      }
      // Outside a list, four spaces of indentation make code or a paragraph's line in Markdown, not an item.
      if (indent.length <= 3 && !(glued && inParagraph && !interrupts(symbol, text))) {
        const list: Extract<Draft, { kind: 'list' }> = { kind: 'list', items: [], stack: [], source: [] };
        open(list, lineNo, glued);
        addItem(list, lineNo, indent.length, symbol, spaces, text, tabs);
        continue;
      }
    }

    if (glued && current?.kind === 'list') {
      continueItem(current, lineNo, line);
      continue;
    }
    if (glued && (current?.kind === 'turn' || current?.kind === 'text')) {
      current.lines.push(line);
      current.source.push(lineNo);
      continue;
    }
    const turn = turnOf(line);
    if (turn) open({ kind: 'turn', speakers: turn.speakers, lines: [turn.text], source: [lineNo] }, lineNo, glued);
    else open({ kind: 'text', lines: [line], source: [lineNo] }, lineNo, glued);
  }
  if (sectionHeading && sectionHeading.blocks === 0) emptySections.push(sectionHeading.line);
  for (const line of emptySections) warnings.add(line, 'empty-section', 'section with nothing in it; the format leaves it out');

  for (const key of Object.keys(drafts) as Place[]) {
    out.blocks[key] = drafts[key].map(block);
    out.lines[key] = drafts[key].map((draft) => ({ lines: draft.source }));
  }
  return out;
}
