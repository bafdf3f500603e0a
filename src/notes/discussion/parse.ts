/**
 * A file in the discussion layout -> ParsedDiscussion. Reads the canonical form (render.ts) exactly, both
 * generations of hand-written files and what lies between, with a warning and a 1-based line for each
 * thing the canonical form writes differently (so renderDiscussion(parseDiscussion(f)) === f when there is
 * no warning). Besides those of blocks.ts and the common ones (line ends, trailing whitespace, final
 * newline, the front-matter tolerances of front-matter.ts):
 *   front matter: list items not at column 0, keys out of the format's order, `tags` as a YAML list, a
 *     `title` not double-quoted, and any other line the canonical form writes differently.
 * No line of text is dropped: blocks before the first section are kept as a preamble.
 */
import { isScalar, isSeq } from 'yaml';
import { frontMatterEnd, readFrontMatter, scalarText, emptyFrontMatter, type FrontMatter } from '../front-matter.ts';
import { Warnings, cleanLines } from '../lines.ts';
import type { NotesWarning } from '../types.ts';
import { yamlDatetime, yamlDoubleQuoted, yamlScalar } from '../yaml-scalar.ts';
import { readBody } from './blocks.ts';
import type { DiscussionBlock, ParsedDiscussion } from './types.ts';

const KEY_ORDER = ['title', 'tags', 'datetime', 'location', 'teams', 'participants'];
const OWN = new Set(['title', 'tags']);

function splitTags(value: string): string[] {
  return value
    .split(',')
    .map((tag) => tag.trim())
    .filter((tag) => tag !== '');
}

interface TitleTags {
  title?: string;
  tags?: string[];
  titleLine: number;
  tagsLine: number;
}

function readTitleTags(fm: FrontMatter, warnings: Warnings): TitleTags {
  const out: TitleTags = { titleLine: 0, tagsLine: 0 };
  const title = fm.own.get('title');
  if (title) {
    out.titleLine = title.line;
    out.title = scalarText(title.node) ?? '';
    if (scalarText(title.node) === undefined && !(isScalar(title.node) && title.node.value === null)) {
      warnings.add(title.line, 'front-matter', 'title is not a single line of text; ignored');
    }
  }
  const tags = fm.own.get('tags');
  if (tags) {
    out.tagsLine = tags.line;
    if (isSeq(tags.node)) {
      warnings.add(tags.line, 'tags-list', 'tags written as a YAML list; the format writes one comma-separated string (tags: a, b)');
      out.tags = tags.node.items.flatMap((node) => splitTags(scalarText(node) ?? ''));
    } else {
      out.tags = splitTags(scalarText(tags.node) ?? '');
    }
  }
  return out;
}

/**
 * Every front-matter line the canonical form writes differently gets a warning (unless one is already on
 * that line): quoting, spacing, comments, multi-line values. `source` holds the lines between the fences.
 */
function warnFrontMatterStyle(source: readonly string[], fm: FrontMatter, tt: TitleTags, warnings: Warnings): void {
  const warned = new Set(warnings.list.map((w) => w.line));
  const expected = new Map<number, string>();
  if (tt.title !== undefined) expected.set(tt.titleLine, `title: ${yamlDoubleQuoted(tt.title)}`);
  if (tt.tags !== undefined && tt.tags.length > 0) expected.set(tt.tagsLine, `tags: ${yamlScalar(tt.tags.join(', '))}`);
  if (fm.lines.datetime) expected.set(fm.lines.datetime, `datetime: ${yamlDatetime(fm.datetime)}`);
  if (fm.lines.location) expected.set(fm.lines.location, `location: ${yamlScalar(fm.location)}`);
  const extraLines = new Set<number>();
  fm.order.forEach(({ key, line }, i) => {
    if (key === 'teams' || key === 'participants') {
      expected.set(line, fm[key].length === 0 ? `${key}: []` : `${key}:`);
      fm.lines[key].forEach((itemLine, j) => expected.set(itemLine, `- ${yamlScalar(fm[key][j] ?? '', true)}`));
    } else if (!KEY_ORDER.includes(key)) {
      // An extra key is re-serialised by yaml; its 'extra-key' warning covers its lines.
      const end = fm.order[i + 1]?.line ?? source.length + 2;
      for (let l = line; l < end; l += 1) extraLines.add(l);
    }
  });
  source.forEach((raw, i) => {
    const line = i + 2;
    if (warned.has(line) || extraLines.has(line)) return;
    const want = expected.get(line);
    if (want === raw) return;
    if (line === tt.titleLine && tt.title !== undefined) {
      warnings.add(line, 'title-quotes', `title written ${raw.slice(raw.indexOf(':') + 1).trim()}; the format writes ${yamlDoubleQuoted(tt.title)}`);
    } else if (want === undefined) {
      warnings.add(line, 'yaml-style', `front-matter line "${raw}" is not written by the format (a comment, a blank line or part of a longer value)`);
    } else {
      warnings.add(line, 'yaml-style', `front matter written "${raw}"; the format writes "${want}"`);
    }
  });
  const known = fm.order.filter(({ key }) => KEY_ORDER.includes(key));
  const sorted = [...known].sort((a, b) => KEY_ORDER.indexOf(a.key) - KEY_ORDER.indexOf(b.key));
  const moved = known.find((entry, i) => entry !== sorted[i]);
  if (moved) warnings.add(moved.line, 'key-order', `front-matter keys out of order; the format writes ${KEY_ORDER.join(', ')}`);
}

/** Whitespace-only lines at the end (already warned about as trailing whitespace) are not content either. */
function withoutTrailingBlanks(lines: string[]): string[] {
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

export function parseDiscussion(text: string): ParsedDiscussion {
  const warnings = new Warnings();
  const lines = withoutTrailingBlanks(cleanLines(text, warnings));
  let fm: FrontMatter = emptyFrontMatter();
  let tt: TitleTags = { titleLine: 0, tagsLine: 0 };
  let bodyStart = 0;
  const close = frontMatterEnd(lines, warnings);
  if (close > 0) {
    const source = lines.slice(1, close);
    fm = readFrontMatter(source, 2, warnings, { listIndent: 0, own: OWN });
    tt = readTitleTags(fm, warnings);
    warnFrontMatterStyle(source, fm, tt, warnings);
    bodyStart = close + 1;
  }
  const body = readBody(lines, bodyStart, warnings, { sections: true, afterFrontMatter: close > 0 });
  const sorted = [...warnings.list].sort((a, b) => a.line - b.line);
  return {
    ...(tt.title === undefined ? {} : { title: tt.title }),
    ...(tt.tags === undefined ? {} : { tags: tt.tags }),
    datetime: fm.datetime,
    location: fm.location,
    teams: fm.teams,
    participants: fm.participants,
    ...(body.blocks.preamble.length === 0 ? {} : { preamble: body.blocks.preamble }),
    agenda: body.blocks.agenda,
    discussion: body.blocks.discussion,
    todos: body.blocks.todos,
    extra: fm.extra,
    warnings: sorted,
    lines: {
      title: tt.titleLine,
      tags: tt.tagsLine,
      datetime: fm.lines.datetime,
      location: fm.lines.location,
      teams: fm.lines.teams,
      participants: fm.lines.participants,
      headings: body.headings,
      preamble: body.lines.preamble,
      agenda: body.lines.agenda,
      discussion: body.lines.discussion,
      todos: body.lines.todos,
    },
  };
}

/**
 * Text typed for a section (a discussion note, say) -> its blocks, read by the same rules as a file's body,
 * with the warnings (1-based lines of the text). Every heading is a sub-heading here.
 */
export function parseDiscussionBlocks(text: string): { blocks: DiscussionBlock[]; warnings: NotesWarning[] } {
  const warnings = new Warnings();
  const lines = withoutTrailingBlanks(cleanLines(text, warnings));
  const body = readBody(lines, 0, warnings, { sections: false, afterFrontMatter: false });
  const ignored = new Set(['final-newline', 'trailing-blank-line']);
  return { blocks: body.blocks.preamble, warnings: warnings.list.filter((w) => !ignored.has(w.code)).sort((a, b) => a.line - b.line) };
}
