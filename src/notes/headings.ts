/**
 * Markdown headings, and which of them open a section of the discussion layout. Shared by both parsers:
 * the activities parser uses it to tell a discussion file from its own.
 */

export type SectionKey = 'agenda' | 'discussion' | 'todos';

/** The sections in the order the canonical form writes them, with their canonical heading. */
export const SECTIONS: readonly { readonly key: SectionKey; readonly emoji: string; readonly name: string; readonly heading: string }[] = [
  { key: 'agenda', emoji: ':dart:', name: 'Agenda', heading: '## :dart: Agenda' },
  { key: 'discussion', emoji: ':closed_book:', name: 'Discussions', heading: '## :closed_book: Discussions' },
  { key: 'todos', emoji: ':wrench:', name: 'TODOs and Decisions', heading: '## :wrench: TODOs and Decisions' },
];

export interface Heading {
  readonly level: number;
  /** Everything after the `#`s and the space, as written. */
  readonly text: string;
}

/** An ATX heading at the margin (`## Text`), or undefined. */
export function headingOf(line: string): Heading | undefined {
  const m = /^(#{1,6})(?: +(.*))?$/.exec(line);
  if (!m) return undefined;
  return { level: m[1]?.length ?? 0, text: m[2] ?? '' };
}

export interface SectionHeading {
  readonly key: SectionKey;
  /** The `:name:` shortcode or emoji written before the name, '' when none. */
  readonly emoji: string;
  /** The name as written, without the emoji. */
  readonly name: string;
}

const EMOJI = /^(?::[a-z0-9_+-]+:|\p{Extended_Pictographic}\uFE0F?)\s*/u;

/** Which section a heading's text names, whatever its emoji and spelling; undefined for any other heading. */
export function sectionOf(text: string): SectionHeading | undefined {
  const emoji = EMOJI.exec(text)?.[0] ?? '';
  const name = text.slice(emoji.length).trim();
  const folded = name.toLowerCase().replace(/:$/, '').trim();
  let key: SectionKey | undefined;
  if (folded === 'agenda') key = 'agenda';
  else if (/^discussions?$/.test(folded)) key = 'discussion';
  else if (/^(?:(?:todos?|tasks?|action items)(?:\s*(?:and|\/|&)\s*decisions)?|decisions)$/.test(folded)) key = 'todos';
  return key === undefined ? undefined : { key, emoji: emoji.trim(), name };
}

/** True for a heading line (`##` or `###`, as the two generations write them) that opens a discussion section. */
export function isSectionHeading(line: string): boolean {
  const heading = headingOf(line);
  return heading !== undefined && heading.level <= 3 && sectionOf(heading.text) !== undefined;
}
