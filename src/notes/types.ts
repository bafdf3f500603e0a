/**
 * The structure of a notes file in the "Summary of Activities" layout. Render, parse and the meeting
 * service all speak this shape; it holds text as it will be written, not Discord objects.
 */

/** One `* ` bullet: its first line and any continuation lines (stored without their indentation). */
export interface Bullet {
  readonly text: string;
  readonly continuation: readonly string[];
}

/** A Markdown reference definition, `[label]: url`. */
export interface Reference {
  readonly label: string;
  readonly url: string;
}

/** One person's (or a joint "A / B") block under "## Summary of Activities". */
export interface Block {
  readonly names: readonly string[];
  readonly bullets: readonly Bullet[];
  readonly references: readonly Reference[];
}

/** A whole notes file. `datetime` is already formatted (`YYYY-MM-DDTHH:MM:SS±HH:MM`). */
export interface Notes {
  readonly datetime: string;
  readonly location: string;
  readonly teams: readonly string[];
  readonly participants: readonly string[];
  readonly blocks: readonly Block[];
  /** Front-matter keys besides the four above, kept from a parsed file and written after `participants`. */
  readonly extra?: Readonly<Record<string, unknown>>;
}

/** What one person typed into `/update`, once parsed: their bullets and their reference definitions. */
export interface Update {
  readonly bullets: readonly Bullet[];
  readonly references: readonly Reference[];
}

/** Which layout a notes file follows: the `## Summary of Activities` one, or `## Agenda` / `## Discussions`. */
export type NotesTemplate = 'activities' | 'discussion' | 'unknown';

/** Something the parser tolerated (or could not read), with the 1-based line it is on. */
export interface NotesWarning {
  readonly line: number;
  readonly code: string;
  readonly message: string;
}

/** Where the parts of a parsed file are (1-based lines), for `check` and for editors pointing at them. */
export interface NotesLines {
  readonly datetime: number;
  readonly location: number;
  readonly teams: readonly number[];
  readonly participants: readonly number[];
  /** Parallel to `blocks`. */
  readonly blocks: readonly BlockLines[];
  /** The line of the `## ...` heading that opens the body (0 when there is none). */
  readonly heading: number;
}

export interface BlockLines {
  readonly header: number;
  /** Per bullet: its first line and the lines of its continuation. */
  readonly bullets: readonly { readonly line: number; readonly continuation: readonly number[] }[];
  readonly references: readonly number[];
}

/** A notes file read back: the structure, what was tolerated, kept extra keys, and which layout it is. */
export interface ParsedNotes extends Notes {
  readonly extra: Readonly<Record<string, unknown>>;
  readonly template: NotesTemplate;
  readonly warnings: readonly NotesWarning[];
  readonly lines: NotesLines;
}
