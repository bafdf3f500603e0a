/**
 * The `---` front matter of both layouts: read (tolerating what people write by hand, with warnings) and
 * the list writer. The layouts differ in where list items start (two spaces in `activities`, column 0 in
 * `discussion`) and in which keys they know; both are parameters here.
 */
import { LineCounter, isMap, isNode, isScalar, isSeq, parseDocument, stringify, type Node as YamlNode } from 'yaml';
import type { Warnings } from './lines.ts';
import { yamlScalar } from './yaml-scalar.ts';

const KNOWN_KEYS = ['datetime', 'location', 'teams', 'participants'] as const;

export interface FrontMatter {
  datetime: string;
  location: string;
  teams: string[];
  participants: string[];
  extra: Record<string, unknown>;
  /** Keys the layout reads itself (`own` in the options), as YAML nodes with the line of their key. */
  own: Map<string, { node: unknown; line: number }>;
  /** Keys in the order written, with the line of each. */
  order: { key: string; line: number }[];
  lines: { datetime: number; location: number; teams: number[]; participants: number[] };
}

export interface FrontMatterOptions {
  /** Where the layout starts `- item` lines: 2 for `activities`, 0 for `discussion`. */
  listIndent: number;
  /** Keys besides the four common ones that the layout reads itself (not warned about as extra). */
  own?: ReadonlySet<string>;
}

/** No front matter (yet): what a file without one, or with an unreadable one, is read as. */
export function emptyFrontMatter(): FrontMatter {
  return {
    datetime: '',
    location: '',
    teams: [],
    participants: [],
    extra: {},
    own: new Map(),
    order: [],
    lines: { datetime: 0, location: 0, teams: [], participants: [] },
  };
}

export function scalarText(node: unknown): string | undefined {
  if (!isScalar(node)) return undefined;
  const value = node.value;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(node.source ?? value);
  if (value instanceof Date) return String(node.source ?? value.toISOString());
  return undefined;
}

/** Reads the lines between the fences; `firstLine` is the 1-based line of the first of them. */
export function readFrontMatter(source: string[], firstLine: number, warnings: Warnings, options: FrontMatterOptions): FrontMatter {
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
        if (indent !== undefined && indent !== options.listIndent) {
          warnings.add(line, 'list-indent', `${key} item indented by ${indent} spaces; the format uses ${options.listIndent}`);
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
    fm.order.push({ key, line: keyLine });
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
    } else if (options.own?.has(key)) {
      fm.own.set(key, { node: pair.value, line: keyLine });
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

/** `key:` and its `- item` lines at `indent` spaces (`key: []` when empty), ending in a newline. */
export function yamlList(key: string, items: readonly string[], indent: string): string {
  if (items.length === 0) return `${key}: []\n`;
  let out = `${key}:\n`;
  for (const item of items) out += `${indent}- ${yamlScalar(item, true)}\n`;
  return out;
}

/** Extra front-matter keys, written after the layout's own (`skip`: keys the layout writes itself). */
export function yamlExtra(extra: Readonly<Record<string, unknown>> | undefined, skip: ReadonlySet<string>): string {
  let out = '';
  for (const [key, value] of Object.entries(extra ?? {})) {
    if (skip.has(key)) continue;
    out += stringify({ [key]: value }, { lineWidth: 0 });
  }
  return out;
}

/** The index of the line closing the front matter that opens `lines`, or -1 (with a warning) when there is none. */
export function frontMatterEnd(lines: readonly string[], warnings: Warnings): number {
  if (lines[0] !== '---') {
    warnings.add(1, 'front-matter', 'the file does not start with "---" front matter');
    return -1;
  }
  const close = lines.findIndex((line, i) => i > 0 && (line === '---' || line === '...'));
  if (close < 0) warnings.add(1, 'front-matter', 'front matter is not closed by a "---" line');
  return close;
}
