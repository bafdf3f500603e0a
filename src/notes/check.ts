/**
 * `check`: what is wrong or hand-written in a notes file, with 1-based lines. It reports
 * - everything the parser tolerated (parse.ts lists them), trailing whitespace and a missing final
 *   newline included;
 * - a datetime that is not `YYYY-MM-DDTHH:MM:SS±HH:MM` or names no real day/time, and (with a time zone)
 *   an offset that is not the zone's on that date;
 * - participants without a block and blocks without a participant, pairing the two when they differ only
 *   in case or diacritics, by a suffix (Radu / RaduN), or as initials (AT / AndreiT, or one initial that
 *   only one candidate has: CC / Cezar);
 * - a label defined twice, a label used with no definition anywhere, and a `[n]` that CommonMark links to
 *   another block's definition with another URL (labels restarting per person);
 * - placeholders: `TODO`, `TO FILL`, a `Name` header or participant;
 * - (given the file's date) a datetime on another day.
 * Placeholder names take no part in the participant/block pairing. A file in the discussion layout is
 * checked by discussion/check.ts.
 */
import { checkDatetime, checkFileDate, type CheckOptions, type Finding } from './check-common.ts';
import { assertTimeZone } from './datetime.ts';
import { checkDiscussion } from './discussion/check.ts';
import { notesLayout } from './layout.ts';
import { parseNotes } from './parse.ts';
import { isPlaceholderName, isPlaceholderText } from './placeholders.ts';
import { labelKey, labelUses } from './references.ts';
import type { ParsedNotes } from './types.ts';

// Label findings are recomputed here with the whole file in view.
const PARSE_CODES_REPLACED = new Set(['undefined-label']);
const MALFORMED_DEFINITION = /^\[[^[\]]+\]\s+(?:https?:|<)/;

function checkLabels(notes: ParsedNotes, findings: Finding[]): void {
  interface Definition {
    block: number;
    line: number;
    url: string;
  }
  const first = new Map<string, Definition>();
  const own: Map<string, Definition>[] = notes.blocks.map((block, b) => {
    const defs = new Map<string, Definition>();
    block.references.forEach((reference, r) => {
      const key = labelKey(reference.label);
      const definition = { block: b, line: notes.lines.blocks[b]?.references[r] ?? 0, url: reference.url };
      if (!defs.has(key)) defs.set(key, definition);
      if (!first.has(key)) first.set(key, definition);
    });
    return defs;
  });
  const nameOf = (b: number): string => notes.blocks[b]?.names.join(' / ') ?? '';

  notes.blocks.forEach((block, b) => {
    const lines = notes.lines.blocks[b];
    block.bullets.forEach((bullet, i) => {
      const at = lines?.bullets[i];
      const texts: [string, number][] = [[bullet.text, at?.line ?? 0]];
      bullet.continuation.forEach((text, c) => texts.push([text, at?.continuation[c] ?? at?.line ?? 0]));
      for (const [text, line] of texts) {
        for (const use of labelUses(text)) {
          if (use.index === 0 && MALFORMED_DEFINITION.test(text)) continue;
          const resolved = first.get(use.key);
          const mine = own[b]?.get(use.key);
          if (!resolved) {
            if (!mine) findings.push({ line, code: 'undefined-label', message: `[${use.label}] is used but defined nowhere in the file` });
            continue;
          }
          if (resolved.block === b) continue;
          if (mine && mine.url === resolved.url) continue;
          const instead = mine ? `, not to this block's ${mine.url} (line ${mine.line})` : ' (this block defines no such label)';
          findings.push({
            line,
            code: 'foreign-link',
            message: `[${use.label}] links to ${resolved.url}, defined at line ${resolved.line} for "${nameOf(resolved.block)}"${instead}`,
          });
        }
      }
    });
  });
}

type Relation = 'case' | 'diacritics' | 'initials' | 'suffix' | 'initial';

function fold(name: string): string {
  return name.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

function capitals(name: string): string {
  return (
    name
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .match(/\p{Lu}/gu) ?? []
  ).join('');
}

const isAbbreviation = (name: string): boolean => /^\p{Lu}{2,3}$/u.test(name);

function related(a: string, b: string, tier: Relation): boolean {
  switch (tier) {
    case 'case':
      return a.toLowerCase() === b.toLowerCase();
    case 'diacritics':
      return fold(a) === fold(b);
    case 'initials':
      return (isAbbreviation(a) && capitals(b) === a) || (isAbbreviation(b) && capitals(a) === b);
    case 'suffix': {
      const [x, y] = [fold(a), fold(b)];
      return x !== y && Math.min(x.length, y.length) >= 3 && (x.startsWith(y) || y.startsWith(x));
    }
    case 'initial':
      return (isAbbreviation(a) && !isAbbreviation(b) && a[0] === b[0]) || (isAbbreviation(b) && !isAbbreviation(a) && b[0] === a[0]);
  }
}

const RELATION_TEXT: Record<Relation, string> = {
  case: 'differs only in case',
  diacritics: 'differs only in diacritics',
  initials: 'looks like its initials',
  suffix: 'differs only by a suffix',
  initial: 'looks like its initials',
};

function checkNames(notes: ParsedNotes, findings: Finding[]): void {
  interface Entry {
    name: string;
    line: number;
    matched: boolean;
  }
  const participants: Entry[] = notes.participants
    .map((name, i) => ({ name, line: notes.lines.participants[i] ?? 0, matched: false }))
    .filter((entry) => !isPlaceholderName(entry.name));
  const blockNames: Entry[] = notes.blocks
    .flatMap((block, b) => block.names.map((name) => ({ name, line: notes.lines.blocks[b]?.header ?? 0, matched: false })))
    .filter((entry) => !isPlaceholderName(entry.name));

  for (const participant of participants) {
    for (const block of blockNames) {
      if (block.name === participant.name) {
        participant.matched = true;
        block.matched = true;
      }
    }
  }
  for (const tier of ['case', 'diacritics', 'initials', 'suffix', 'initial'] as const) {
    for (const participant of participants) {
      if (participant.matched) continue;
      const candidates = blockNames.filter((block) => !block.matched && related(participant.name, block.name, tier));
      const block = candidates[0];
      if (candidates.length !== 1 || !block) continue;
      const rivals = participants.filter((other) => !other.matched && related(other.name, block.name, tier));
      if (rivals.length !== 1) continue;
      participant.matched = true;
      block.matched = true;
      findings.push({
        line: participant.line,
        code: 'name-mismatch',
        message: `participant "${participant.name}" has no block of that name; the block "${block.name}" (line ${block.line}) ${RELATION_TEXT[tier]}: use one spelling`,
      });
    }
  }
  for (const participant of participants) {
    if (!participant.matched) {
      findings.push({ line: participant.line, code: 'participant-without-block', message: `participant "${participant.name}" has no block` });
    }
  }
  for (const block of blockNames) {
    if (!block.matched) {
      findings.push({ line: block.line, code: 'block-without-participant', message: `block "${block.name}" is not among the participants` });
    }
  }
}

function checkPlaceholders(notes: ParsedNotes, findings: Finding[]): void {
  const flag = (line: number, what: string, value: string): void => {
    findings.push({ line, code: 'placeholder', message: `${what} "${value}" is a placeholder` });
  };
  if (isPlaceholderText(notes.location)) flag(notes.lines.location, 'location', notes.location);
  notes.teams.forEach((team, i) => {
    if (isPlaceholderName(team) || isPlaceholderText(team)) flag(notes.lines.teams[i] ?? 0, 'team', team);
  });
  notes.participants.forEach((name, i) => {
    if (isPlaceholderName(name) || isPlaceholderText(name)) flag(notes.lines.participants[i] ?? 0, 'participant', name);
  });
  notes.blocks.forEach((block, b) => {
    const lines = notes.lines.blocks[b];
    const header = block.names.join(' / ');
    if (block.names.some((name) => isPlaceholderName(name) || isPlaceholderText(name))) flag(lines?.header ?? 0, 'header', header);
    block.bullets.forEach((bullet, i) => {
      const at = lines?.bullets[i];
      if (isPlaceholderText(bullet.text)) flag(at?.line ?? 0, 'bullet', bullet.text);
      bullet.continuation.forEach((text, c) => {
        if (isPlaceholderText(text)) flag(at?.continuation[c] ?? 0, 'line', text);
      });
    });
  });
}

export function checkParsed(notes: ParsedNotes, options: CheckOptions = {}): Finding[] {
  if (options.timeZone !== undefined) assertTimeZone(options.timeZone);
  const findings: Finding[] = notes.warnings
    .filter((warning) => !PARSE_CODES_REPLACED.has(warning.code))
    .map((warning) => ({ line: warning.line, code: warning.code, message: warning.message }));
  checkDatetime(notes.datetime, notes.lines.datetime, options.timeZone, findings);
  checkFileDate(notes.datetime, notes.lines.datetime, options.fileDate, findings);
  if (notes.template === 'activities' || notes.template === 'unknown') {
    checkLabels(notes, findings);
    checkNames(notes, findings);
  }
  checkPlaceholders(notes, findings);
  return findings.sort((a, b) => a.line - b.line);
}

export type { CheckOptions, Finding };

/**
 * Findings for a notes file of either layout (recognised from its content), sorted by line. Throws
 * NotesInputError for an unknown time zone.
 */
export function checkNotes(text: string, options: CheckOptions = {}): Finding[] {
  if (notesLayout(text) === 'discussion') return checkDiscussion(text, options);
  return checkParsed(parseNotes(text), options);
}
