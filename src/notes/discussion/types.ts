/**
 * The structure of a notes file in the discussion layout (`../shared/notes-discussion-format.md`): front
 * matter, then the sections Agenda, Discussions and TODOs and Decisions, each a list of blocks. Text is
 * kept as written; render.ts writes it in the canonical form, parse.ts reads it back.
 */
import type { NotesWarning } from '../types.ts';

/** One list item: `- text` (or `1. text`), its continuation lines and its nested items. */
export interface ListItem {
  readonly text: string;
  /** Written `1.`; otherwise `-`. */
  readonly ordered?: boolean;
  /** Lines that continue the item, without the indentation that puts them under its text (extra indentation is kept). */
  readonly continuation?: readonly string[];
  readonly items?: readonly ListItem[];
}

/**
 * A block of a section; blocks are separated by one blank line.
 * - turn: `AB: first line` (or `AB/CD:`) and the lines after it; in TODOs and Decisions, a task and its owners.
 *   `lines[0]` is the text after `AB: ` ('' when the line is only `AB:`).
 * - text: a paragraph without a speaker (a decision, a follow-up to the turn above, a table, a quote, ...).
 * - list: `-` / `1.` items.
 * - code: a fenced code block, fences included, as written.
 * - heading: a sub-heading (`### Topic`, `#### ...`).
 */
export type DiscussionBlock =
  | { readonly kind: 'turn'; readonly speakers: readonly string[]; readonly lines: readonly string[] }
  | { readonly kind: 'text'; readonly lines: readonly string[] }
  | { readonly kind: 'list'; readonly items: readonly ListItem[] }
  | { readonly kind: 'code'; readonly lines: readonly string[] }
  | { readonly kind: 'heading'; readonly level: number; readonly text: string };

/** A whole file in the discussion layout. `datetime` is written as given (`YYYY-MM-DDTHH:MM:SS±HH:MM`). */
export interface DiscussionNotes {
  /** `"<Topic>, <Month> <D>, <YYYY>"`; absent in the older generation of files. */
  readonly title?: string;
  /** Written as one comma-separated string; absent in the older generation. */
  readonly tags?: readonly string[];
  readonly datetime: string;
  readonly location: string;
  readonly teams: readonly string[];
  readonly participants: readonly string[];
  /** Blocks written before the first section heading (not in the canonical form; kept so no line is lost). */
  readonly preamble?: readonly DiscussionBlock[];
  readonly agenda: readonly DiscussionBlock[];
  readonly discussion: readonly DiscussionBlock[];
  readonly todos: readonly DiscussionBlock[];
  /** Front-matter keys besides the six of the format, written after `participants`. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** Where a block came from, parallel to the blocks of a section: the 1-based source line of each line it renders to. */
export interface DiscussionBlockLines {
  readonly lines: readonly number[];
}

export interface DiscussionLines {
  readonly title: number;
  readonly tags: number;
  readonly datetime: number;
  readonly location: number;
  readonly teams: readonly number[];
  readonly participants: readonly number[];
  /** The line of each section's heading (the first one, when a section is written twice); 0 when absent. */
  readonly headings: { readonly agenda: number; readonly discussion: number; readonly todos: number };
  readonly preamble: readonly DiscussionBlockLines[];
  readonly agenda: readonly DiscussionBlockLines[];
  readonly discussion: readonly DiscussionBlockLines[];
  readonly todos: readonly DiscussionBlockLines[];
}

/** A discussion file read back: the structure, kept extra keys, what was tolerated, and where things are. */
export interface ParsedDiscussion extends DiscussionNotes {
  readonly extra: Readonly<Record<string, unknown>>;
  readonly warnings: readonly NotesWarning[];
  readonly lines: DiscussionLines;
}
