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
 *   layout: `## Agenda` / `## Discussions` files are recognised as template `discussion` (front matter
 *     read, body not: discussion/parse.ts reads those).
 * Text is kept as written (a bullet's text is everything after `* `), so render(parseNotes(f)) === f for a
 * canonical file.
 */
import { parseDefinition } from './bullets.ts';
import { emptyFrontMatter, frontMatterEnd, readFrontMatter, type FrontMatter } from './front-matter.ts';
import { isSectionHeading } from './headings.ts';
import { Warnings, cleanLines } from './lines.ts';
import { labelKey, labelUses } from './references.ts';
import type { Block, BlockLines, Bullet, NotesTemplate, ParsedNotes, Reference } from './types.ts';

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
  if (/^(agenda|discussions?|todos and decisions|tasks \/ decisions)\b/.test(title) || isSectionHeading(heading)) return 'discussion';
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
  const lines = cleanLines(text, warnings);

  let fm: FrontMatter = emptyFrontMatter();
  let bodyStart = 0;
  const close = frontMatterEnd(lines, warnings);
  if (close > 0) {
    fm = readFrontMatter(lines.slice(1, close), 2, warnings, { listIndent: 2 });
    bodyStart = close + 1;
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
    } else if (template === 'discussion') {
      warnings.add(heading, 'template', 'a file in the discussion layout (Agenda / Discussions / TODOs and Decisions); parseNotes reads only its front matter');
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
