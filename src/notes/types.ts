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
}

/** What one person typed into `/update`, once parsed: their bullets and their reference definitions. */
export interface Update {
  readonly bullets: readonly Bullet[];
  readonly references: readonly Reference[];
}
