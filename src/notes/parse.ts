/**
 * A notes file -> ParsedNotes. Reads the canonical format (render.ts) exactly, and tolerates what people
 * write by hand, reporting each tolerance as a warning with its 1-based line:
 *   front matter: list indentation other than two spaces, comma-joined items (`- A, B`), a datetime
 *     without seconds, keys besides the four of the format (kept in `extra`), missing keys;
 *   body: `Name:` headers, `XY: text` paragraphs (the 2021 files; consecutive paragraphs of one person
 *     become one block, a paragraph a bullet), continuation lines not indented by two spaces, `-`/`•`/`1.`
 *     markers, `* [n]: url` definitions, blank lines between definitions, labels that restart per person,
 *     labels used without a definition (kept as written), a paragraph with no name (attached to the block
 *     above), trailing whitespace, CRLF line ends, a missing final newline;
 *   layout: `## Agenda` / `## Discussions` files are recognised as template `agenda` (front matter read,
 *     body not).
 * Text is kept as written (a bullet's text is everything after `* `), so render(parseNotes(f)) === f for a
 * canonical file.
 */
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, type Node as YamlNode } from 'yaml';
import { parseDefinition } from './bullets.ts';
import { labelKey, labelUses } from './references.ts';
import type { Block, BlockLines, Bullet, NotesTemplate, NotesWarning, ParsedNotes, Reference } from './types.ts';

const KNOWN_KEYS = new Set(['datetime', 'location', 'teams', 'participants']);
const BULLET = /^(?:([*+-])|(\d{1,9}[.)])|(•))(?: (.*)|$)|^(•)(\S.*)$/u;
const PARAGRAPH = /^([^\s:*•[#][^\s:]*(?: \/ [^\s:]+)*):\s+(\S.*)$/u;
const MALFORMED_DEFINITION = /^\[[^[\]]+\]\s+(?:https?:|<)/;

interface DraftBullet {
  text: string;
  continuation: string[];
  line: number;
  continuationLines: number[];
}

interface DraftBlock {
  names: string[];
  bullets: DraftBullet[];
  references: Reference[];
  header: number;
  referenceLines: number[];
  paragraphs: boolean;
}

interface FrontMatter {
  datetime: string;
  location: string;
  teams: string[];
  participants: string[];
  extra: Record<string, unknown>;
  lines: { datetime: number; location: number; teams: number[]; participants: number[] };
}

/** No front matter (yet): what a file without one, or with an unreadable one, is read as. */
function emptyFrontMatter(): FrontMatter {
  return { datetime: '', location: '', teams: [], participants: [], extra: {}, lines: { datetime: 0, location: 0, teams: [], participants: [] } };
}

class Warnings {
  readonly list: NotesWarning[] = [];
  add(line: number, code: string, message: string): void {
    this.list.push({ line, code, message });
  }
}

function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(node.source ?? value);
  if (value instanceof Date) return String(node.source ?? value.toISOString());
  return undefined;
}

function readFrontMatter(source: string[], firstLine: number, warnings: Warnings): FrontMatter {
  const text = source.join('\n');
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, version: '1.2', uniqueKeys: false, prettyErrors: false });
  const lineOf = (node: YamlNode | null | undefined): number => (node?.range ? counter.linePos(node.range[0]).line + firstLine - 1 : firstLine);
  const fm = emptyFrontMatter();
  for (const error of doc.errors) {
    const line = error.linePos ? error.linePos[0].line + firstLine - 1 : firstLine;
    warnings.add(line, 'front-matter', `front matter is not valid YAML: ${error.message.split('\n')[0] ?? ''}`);
  }
  if (!isMap(doc.contents)) {
    if (doc.errors.length === 0) warnings.add(firstLine, 'front-matter', 'front matter is not a YAML mapping of keys to values');
    return fm;
  }

  const readList = (key: 'teams' | 'participants', node: unknown, keyLine: number): void => {
    const push = (value: string, line: number): void => {
      fm[key].push(value);
      fm.lines[key].push(line);
    };
    const pushJoined = (value: string, line: number, plain: boolean): void => {
      if (plain && value.includes(',')) {
        const parts = value
          .split(',')
          .map((part) => part.trim())
          .filter((part) => part !== '');
        warnings.add(line, 'comma-list', `${key} item "${value}" joins ${parts.length} names with commas; the format writes one a line`);
        for (const part of parts) push(part, line);
      } else if (value !== '' || !plain) {
        push(value, line);
      }
    };
    if (isSeq(node)) {
      for (const item of node.items) {
        const line = lineOf(item as YamlNode);
        const value = scalarText(item);
        if (value === undefined) {
          warnings.add(line, 'list-item', `${key} item is not a name (an empty item or a nested structure); ignored`);
          continue;
        }
        const raw = source[line - firstLine] ?? '';
        const indent = /^( *)- /.exec(raw)?.[1]?.length;
        if (indent !== undefined && indent !== 2) {
          warnings.add(line, 'list-indent', `${key} item indented by ${indent} spaces; the format uses 2`);
        }
        pushJoined(value, line, isScalar(item) && item.type === 'PLAIN');
      }
      return;
    }
    const value = scalarText(node);
    if (value !== undefined) {
      warnings.add(keyLine, 'list-scalar', `${key} is a single value, not a list; the format writes "- name" items`);
      pushJoined(value, keyLine, true);
    } else if (node !== null && node !== undefined && !(isScalar(node) && node.value === null)) {
      warnings.add(keyLine, 'list-item', `${key} is neither a list nor a name; ignored`);
    }
  };

  const seen = new Set<string>();
  for (const pair of doc.contents.items) {
    const key = scalarText(pair.key);
    const keyLine = lineOf(pair.key as YamlNode);
    if (key === undefined) {
      warnings.add(keyLine, 'front-matter', 'a front-matter key is not a plain name; ignored');
      continue;
    }
    if (seen.has(key)) warnings.add(keyLine, 'front-matter', `front-matter key "${key}" appears twice; the last one is kept`);
    seen.add(key);
    if (key === 'datetime') {
      const raw = scalarText(pair.value) ?? '';
      fm.lines.datetime = keyLine;
      const short = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2})([+-]\d{2}:\d{2})$/.exec(raw);
      if (short) {
        warnings.add(keyLine, 'datetime-seconds', `datetime ${raw} has no seconds; the format writes ${short[1]}:00${short[2]}`);
        fm.datetime = `${short[1]}:00${short[2]}`;
      } else {
        fm.datetime = raw;
      }
    } else if (key === 'location') {
      fm.location = scalarText(pair.value) ?? '';
      fm.lines.location = keyLine;
    } else if (key === 'teams' || key === 'participants') {
      fm[key] = [];
      fm.lines[key] = [];
      readList(key, pair.value, keyLine);
    } else {
      fm.extra[key] = isNode(pair.value) ? pair.value.toJSON() : (pair.value ?? null);
      warnings.add(keyLine, 'extra-key', `front-matter key "${key}" is not part of the format; kept as written`);
    }
  }
  for (const key of KNOWN_KEYS) {
    if (!seen.has(key)) warnings.add(firstLine - 1, 'missing-key', `front matter has no "${key}"`);
  }
  return fm;
}

function warnLabels(blocks: DraftBlock[], warnings: Warnings): void {
  const firstDefinition = new Map<string, { line: number; block: DraftBlock }>();
  for (const block of blocks) {
    const own = new Map<string, number>();
    block.references.forEach((reference, i) => {
      const key = labelKey(reference.label);
      const line = block.referenceLines[i] ?? block.header;
      const ownLine = own.get(key);
      const earlier = firstDefinition.get(key);
      if (ownLine !== undefined) {
        warnings.add(line, 'duplicate-label', `label [${reference.label}] is defined twice in this block (first at line ${ownLine})`);
      } else if (earlier) {
        warnings.add(
          line,
          'label-restart',
          `label [${reference.label}] was already defined at line ${earlier.line} (block "${earlier.block.names.join(' / ')}"); CommonMark uses that first definition everywhere`,
        );
      }
      if (ownLine === undefined) own.set(key, line);
      if (!earlier) firstDefinition.set(key, { line, block });
    });
    for (const bullet of block.bullets) {
      const texts: [string, number][] = [[bullet.text, bullet.line]];
      bullet.continuation.forEach((text, i) => texts.push([text, bullet.continuationLines[i] ?? bullet.line]));
      for (const [text, line] of texts) {
        for (const use of labelUses(text)) {
          if (own.has(use.key) || (use.index === 0 && MALFORMED_DEFINITION.test(text))) continue;
          warnings.add(line, 'undefined-label', `[${use.label}] has no definition in this block; it is kept as written`);
        }
      }
    }
  }
}

function templateOf(heading: string): NotesTemplate {
  const title = heading
    .replace(/^#+\s*/, '')
    .trim()
    .toLowerCase();
  if (title === 'summary of activities') return 'activities';
  if (/^(agenda|discussions?|todos and decisions|tasks \/ decisions)\b/.test(title)) return 'agenda';
  return 'unknown';
}

function readActivities(lines: string[], start: number, warnings: Warnings): DraftBlock[] {
  const blocks: DraftBlock[] = [];
  let block: DraftBlock | undefined;
  let bullet: DraftBullet | undefined;
  let state: 'none' | 'block' | 'refs' = 'none';
  let blankLine = 0;

  const open = (names: string[], header: number, paragraphs: boolean): DraftBlock => {
    const created: DraftBlock = { names, bullets: [], references: [], header, referenceLines: [], paragraphs };
    blocks.push(created);
    return created;
  };
  const addBullet = (target: DraftBlock, text: string, line: number): DraftBullet => {
    const created: DraftBullet = { text, continuation: [], line, continuationLines: [] };
    target.bullets.push(created);
    return created;
  };

  for (let i = start; i < lines.length; i += 1) {
    const lineNo = i + 1;
    const line = lines[i] ?? '';
    if (line === '') {
      blankLine = lineNo;
      continue;
    }
    const afterBlank = blankLine === lineNo - 1;
    const content = line.trimStart();
    const indent = line.length - content.length;

    if (/^#{1,6}(\s|$)/.test(content) && indent === 0) {
      warnings.add(lineNo, 'unexpected-heading', 'a second heading inside "## Summary of Activities"; ignored');
      continue;
    }

    const definition = parseDefinition(content);
    if (definition) {
      if (!block) {
        warnings.add(lineNo, 'orphan-definition', 'reference definition before any block; ignored');
        continue;
      }
      if (!content.startsWith('[')) {
        warnings.add(lineNo, 'bulleted-definition', `definition written as a list item; the format writes [${definition.label}]: url`);
      }
      if (state === 'refs' && afterBlank) {
        warnings.add(blankLine, 'definition-spacing', 'blank line between reference definitions; the format lists them without blank lines');
      } else if (state === 'block' && !afterBlank) {
        warnings.add(lineNo, 'definition-spacing', 'reference definition directly under a bullet; CommonMark reads it as part of the bullet');
      }
      block.references.push(definition);
      block.referenceLines.push(lineNo);
      state = 'refs';
      bullet = undefined;
      continue;
    }

    const marker = indent === 0 ? BULLET.exec(content) : null;
    if (indent > 0 && state === 'block' && bullet) {
      if (afterBlank) warnings.add(lineNo, 'blank-in-bullet', 'blank line inside a bullet; the format has none');
      if (indent !== 2) {
        warnings.add(lineNo, 'continuation-indent', `continuation line indented by ${indent} space${indent === 1 ? '' : 's'}; the format uses 2`);
      }
      bullet.continuation.push(content);
      bullet.continuationLines.push(lineNo);
      continue;
    }
    if (marker || (indent > 0 && BULLET.test(content))) {
      const m = marker ?? BULLET.exec(content);
      if (indent > 0) warnings.add(lineNo, 'bullet-indent', `bullet indented by ${indent} spaces; the format starts bullets at the margin`);
      let text: string;
      if (m?.[1] === '*') {
        text = m[4] ?? '';
      } else {
        text = (m?.[4] ?? m?.[6] ?? '').trimStart();
        warnings.add(lineNo, 'bullet-marker', `bullet marker "${m?.[1] ?? m?.[2] ?? '•'}"; the format uses "* "`);
      }
      if (!block) {
        warnings.add(lineNo, 'bullet-without-header', 'bullet before any name header');
        block = open([], lineNo, false);
      } else if (state === 'refs') {
        warnings.add(lineNo, 'bullet-after-definitions', 'bullet after the reference definitions of its block');
      } else if (afterBlank && block.bullets.length > 0) {
        warnings.add(blankLine, 'blank-between-bullets', 'blank line between bullets of one block');
      }
      bullet = addBullet(block, text, lineNo);
      state = 'block';
      continue;
    }

    if (!afterBlank && state === 'block' && block) {
      if (bullet) {
        warnings.add(lineNo, 'continuation-indent', 'continuation line not indented; the format indents it by two spaces');
        bullet.continuation.push(content);
        bullet.continuationLines.push(lineNo);
      } else {
        warnings.add(lineNo, 'bullet-marker', 'line without a "* " marker read as a bullet');
        bullet = addBullet(block, content, lineNo);
      }
      continue;
    }

    const paragraph = indent === 0 ? PARAGRAPH.exec(content) : null;
    if (paragraph) {
      const names = (paragraph[1] ?? '').split(' / ');
      const text = paragraph[2] ?? '';
      warnings.add(lineNo, 'paragraph-block', `"${names.join(' / ')}: text" paragraph; the format writes a "${names.join(' / ')}" header and "* " bullets`);
      const last = blocks[blocks.length - 1];
      const same = last && last === block && last.paragraphs && state === 'block' && last.names.join('\u0000') === names.join('\u0000');
      block = same ? last : open(names, lineNo, true);
      bullet = addBullet(block, text, lineNo);
      state = 'block';
      continue;
    }
    if (block && content.startsWith('[')) {
      if (MALFORMED_DEFINITION.test(content)) {
        warnings.add(lineNo, 'definition-colon', 'looks like a reference definition but has no colon after the label ([n]: url)');
      }
      warnings.add(lineNo, 'loose-paragraph', 'paragraph without a name header; kept as a bullet of the block above');
      bullet = addBullet(block, content, lineNo);
      state = 'block';
      continue;
    }

    let header = content;
    if (header.endsWith(':')) {
      header = header.slice(0, -1).trimEnd();
      warnings.add(lineNo, 'header-colon', `header "${content}" ends with a colon; the format writes "${header}"`);
    }
    if (indent > 0) warnings.add(lineNo, 'header-indent', 'name header is indented');
    block = open(header.split(/\s+\/\s+/), lineNo, false);
    bullet = undefined;
    state = 'block';
  }
  return blocks;
}

export function parseNotes(text: string): ParsedNotes {
  const warnings = new Warnings();
  let body = text;
  if (body.includes('\r')) {
    const line = body.slice(0, body.indexOf('\r')).split('\n').length;
    warnings.add(line, 'line-ending', 'CR or CRLF line ends; the format uses LF');
    body = body.replace(/\r\n?/g, '\n');
  }
  const lines = body.split('\n');
  if (body.endsWith('\n')) {
    lines.pop();
  } else if (body !== '') {
    warnings.add(lines.length, 'final-newline', 'the file does not end with a newline');
  }
  while (lines.length > 0 && lines[lines.length - 1] === '') {
    warnings.add(lines.length, 'trailing-blank-line', 'blank line at the end of the file');
    lines.pop();
  }
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const trimmed = line.trimEnd();
    if (trimmed !== line) {
      warnings.add(i + 1, 'trailing-whitespace', 'trailing whitespace');
      lines[i] = trimmed;
    }
  }

  let fm = emptyFrontMatter();
  let bodyStart = 0;
  if (lines[0] === '---') {
    const close = lines.findIndex((line, i) => i > 0 && (line === '---' || line === '...'));
    if (close < 0) {
      warnings.add(1, 'front-matter', 'front matter is not closed by a "---" line');
    } else {
      fm = readFrontMatter(lines.slice(1, close), 2, warnings);
      bodyStart = close + 1;
    }
  } else {
    warnings.add(1, 'front-matter', 'the file does not start with "---" front matter');
  }

  let template: NotesTemplate = 'unknown';
  let heading = 0;
  let blocks: DraftBlock[] = [];
  const headingIndex = lines.findIndex((line, i) => i >= bodyStart && /^#{1,6}\s/.test(line));
  if (headingIndex < 0) {
    warnings.add(bodyStart + 1, 'missing-heading', 'no "## Summary of Activities" heading; the blocks are read from the start of the body');
    blocks = readActivities(lines, bodyStart, warnings);
  } else {
    heading = headingIndex + 1;
    template = templateOf(lines[headingIndex] ?? '');
    for (let i = bodyStart; i < headingIndex; i += 1) {
      if ((lines[i] ?? '') !== '') warnings.add(i + 1, 'stray-text', 'text between the front matter and the first heading');
    }
    if (template === 'activities') {
      blocks = readActivities(lines, headingIndex + 1, warnings);
    } else if (template === 'agenda') {
      warnings.add(heading, 'template', 'an "## Agenda" / "## Discussions" file (template agenda); only its front matter is read');
    } else {
      warnings.add(heading, 'template', `unknown layout (first heading "${lines[headingIndex] ?? ''}"); only the front matter is read`);
    }
  }
  warnLabels(blocks, warnings);

  const outBlocks: Block[] = blocks.map((block) => ({
    names: block.names,
    bullets: block.bullets.map((bullet): Bullet => ({ text: bullet.text, continuation: bullet.continuation })),
    references: block.references,
  }));
  const blockLines: BlockLines[] = blocks.map((block) => ({
    header: block.header,
    bullets: block.bullets.map((bullet) => ({ line: bullet.line, continuation: bullet.continuationLines })),
    references: block.referenceLines,
  }));
  const sorted = [...warnings.list].sort((a, b) => a.line - b.line);
  return {
    datetime: fm.datetime,
    location: fm.location,
    teams: fm.teams,
    participants: fm.participants,
    blocks: outBlocks,
    extra: fm.extra,
    template,
    warnings: sorted,
    lines: { ...fm.lines, blocks: blockLines, heading },
  };
}
