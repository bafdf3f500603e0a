/**
 * What people type for a discussion meeting, checked and turned into blocks of the layout. Pure.
 *
 * A note is always its giver's turn: its first paragraph starts with the giver's initials, and any later
 * paragraph that the file would read as another speaker's turn (`AB: …`, `Note: …`) is written as a new
 * turn of the giver (`SJ: AB: …`), its text kept as typed. So a note can never be read back as someone else's.
 */
import { UserError } from '../errors.ts';
import { MAX_UPDATE_CHARS, cleanText } from '../notes/bullets.ts';
import { parseDiscussionBlocks, turnOf, type DiscussionBlock } from '../notes/index.ts';

/** A note fits the form (as an update does). */
export const MAX_NOTE_CHARS = MAX_UPDATE_CHARS;
/** One line: an agenda item, a task, a decision, a topic. */
export const MAX_LINE_CHARS = 300;
export const MAX_TOPIC_CHARS = 100;
export const MAX_AGENDA_ITEMS = 25;
/** A task's owners (the command has two options). */
export const MAX_OWNERS = 2;

/** The typed text cleaned (line ends, invisible characters), without trailing spaces or blank lines at the ends. */
function clean(raw: string): string {
  return cleanText(raw)
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/^\n+|\n+$/g, '');
}

/** A note as it is kept: cleaned, not empty, within the limit, with no heading (the topic is given apart). */
export function cleanNote(raw: string): string {
  const text = clean(raw);
  if (text.trim() === '') throw new UserError('The note is empty; type what was said.');
  const length = [...text].length;
  if (length > MAX_NOTE_CHARS) {
    throw new UserError(
      `The note is ${length.toLocaleString('en-US')} characters long; the limit is ${MAX_NOTE_CHARS.toLocaleString('en-US')}. Split it into two notes.`,
    );
  }
  const heading = parseDiscussionBlocks(text).blocks.find((block) => block.kind === 'heading');
  if (heading) {
    throw new UserError(`A note cannot hold a heading ("${'#'.repeat(heading.level)} ${heading.text}"); give its topic with the topic option instead.`);
  }
  return text;
}

/** One line of text (an agenda item, a task, a decision): cleaned, not empty, within `max`. */
export function cleanLine(raw: string, what: string, max = MAX_LINE_CHARS): string {
  const text = clean(raw)
    .replace(/\s*\n\s*/g, ' ')
    .trim();
  if (text === '') throw new UserError(`The ${what} is empty; type it.`);
  const length = [...text].length;
  if (length > max) throw new UserError(`The ${what} is ${length} characters long; the limit is ${max}.`);
  return text;
}

/** A decision is a plain paragraph: one that the file would read as something else is refused, saying why. */
export function cleanDecision(raw: string): string {
  const text = cleanLine(raw, 'decision');
  if (turnOf(text)) {
    throw new UserError(
      `"${text.slice(0, text.indexOf(':') + 1)}" at the start would make the notes read the decision as a task of that speaker; reword its start (use /task for a task).`,
    );
  }
  const { blocks } = parseDiscussionBlocks(text);
  if (blocks.length !== 1 || blocks[0]?.kind !== 'text') {
    throw new UserError('A decision is written as a plain sentence; do not start it with a list marker, a heading or a code fence.');
  }
  return text;
}

/** A topic (a `###` sub-heading): one line, or undefined when none was given. */
export function cleanTopic(raw: string | null | undefined): string | undefined {
  if (raw === null || raw === undefined || clean(raw).trim() === '') return undefined;
  return cleanLine(raw, 'topic', MAX_TOPIC_CHARS).replace(/^#+\s*/, '');
}

/** How topics are compared: the same words in any case and spacing are one topic. */
export function topicKey(topic: string): string {
  return topic.replace(/\s+/g, ' ').trim().toLowerCase();
}

function turn(initials: string, lines: readonly string[]): DiscussionBlock {
  return { kind: 'turn', speakers: [initials], lines };
}

/** The blocks of a kept note, as the giver's turn(s) (see the top of this file). */
export function noteBlocks(text: string, initials: string): DiscussionBlock[] {
  const { blocks } = parseDiscussionBlocks(text);
  const out: DiscussionBlock[] = [];
  blocks.forEach((block, i) => {
    if (block.kind === 'turn') {
      // The line as typed, `AB: …`, becomes the giver's text.
      const [first = '', ...rest] = block.lines;
      out.push(turn(initials, [`${block.speakers.join('/')}:${first === '' ? '' : ` ${first}`}`, ...rest]));
    } else if (i === 0 && block.kind === 'text') {
      out.push(turn(initials, block.lines));
    } else {
      // A list or code first: the giver's initials on a line of their own introduce it.
      if (i === 0) out.push(turn(initials, ['']));
      out.push(block);
    }
  });
  return out;
}
