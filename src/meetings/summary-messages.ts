/**
 * The messages a revision of the notes is posted as. Discord lets a bot post about 5 messages per 5 s
 * into one channel: more are held back (discord.js waits) and the notes would trickle in for minutes.
 * So the notes are at most SUMMARY_MAX_MESSAGES messages split between people's blocks (between blocks
 * in the discussion layout); notes that need more are one short message, their first lines, with the file.
 */
import { firstLines, storedContent } from '../notes/chunks.ts';
import { renderDiscussionChunks, renderDiscussionFrontMatter, type DiscussionNotes } from '../notes/index.ts';
import { renderChunks, renderFrontMatter } from '../notes/render.ts';
import type { Notes } from '../notes/types.ts';
import type { PeopleRoster } from './roster.ts';

/** The most messages one revision is posted as (Discord's per-channel limit: about 5 per 5 s). */
export const SUMMARY_MAX_MESSAGES = 5;
/** The most lines of the notes the short message shows. */
const EXCERPT_LINES = 12;

export type SummaryForm = 'split' | 'file';

type Compiled = ({ readonly layout: 'activities'; readonly notes: Notes } | { readonly layout: 'discussion'; readonly notes: DiscussionNotes }) & {
  readonly roster: PeopleRoster;
  readonly text: string;
  readonly fileName: string;
};

function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** The short message: who gave something, who attended, where the notes are, then their first lines. */
function shortMessage(compiled: Compiled, limit: number): string {
  const gave = compiled.layout === 'activities' ? 'gave an update' : 'gave notes';
  const intro =
    `${count(compiled.roster.withUpdate.length, 'person', 'people')} ${gave}, ${count(compiled.roster.attendees.length, 'person', 'people')} attended. ` +
    `The notes are too long for ${SUMMARY_MAX_MESSAGES} messages, so they are in ${compiled.fileName}, attached; they begin:`;
  // The notes begin after the front matter (a long participants list says nothing a reader wants first).
  const frontMatter = compiled.layout === 'activities' ? renderFrontMatter(compiled.notes) : renderDiscussionFrontMatter(compiled.notes);
  const body = compiled.text.startsWith(frontMatter) ? compiled.text.slice(frontMatter.length) : compiled.text;
  const room = limit - intro.length - 2;
  const excerpt = room >= 2 ? storedContent(firstLines(body, room, EXCERPT_LINES)) : '';
  return excerpt === '' ? intro.slice(0, limit) : `${intro}\n\n${excerpt}`;
}

/** The revision's messages, as Discord stores them (trimmed); the file goes on the last. */
export function summaryMessages(compiled: Compiled, limit: number): { form: SummaryForm; messages: string[] } {
  const parts =
    compiled.layout === 'activities'
      ? renderChunks(compiled.notes, limit, SUMMARY_MAX_MESSAGES)
      : renderDiscussionChunks(compiled.notes, limit, SUMMARY_MAX_MESSAGES);
  if (parts !== null) return { form: 'split', messages: parts.map(storedContent) };
  return { form: 'file', messages: [shortMessage(compiled, limit)] };
}
