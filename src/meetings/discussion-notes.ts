/**
 * What is said in a discussion meeting: a note (a speaker turn, optionally under a topic), a task with
 * its owners, a decision. Each is appended to the meeting's record in its turn of the queue. One given
 * again (the same interaction, or the same text for the same people: someone who saw no "Saved" after a
 * crash and retried) is kept once. The answer shows it as the notes will.
 */
import { UserError } from '../errors.ts';
import { renderDiscussionBlock, type DiscussionBlock } from '../notes/index.ts';
import { discussionPeople, namesAndInitials } from './compile-discussion.ts';
import { requireMeeting, type MeetingContext } from './context.ts';
import { changeDiscussion, discussionSeries } from './discussion-record.ts';
import { MAX_OWNERS, cleanDecision, cleanLine, cleanNote, cleanTopic, noteBlocks, topicKey } from './discussion-text.ts';
import type { DiscussionNote, DiscussionRecord, MeetingKey, Person } from './records.ts';
import type { Subject } from './record-update.ts';

export interface NoteInput {
  /** The interaction's id: the same one given twice is kept once. */
  readonly id: string;
  readonly subject: Subject;
  /** The subject, or a maintainer using `for:`. */
  readonly authorId: string;
  readonly text: string;
  readonly topic?: string | null;
}

export interface TaskInput {
  readonly id: string;
  readonly owners: readonly Subject[];
  readonly text: string;
  readonly authorId: string;
}

export interface DecisionInput {
  readonly id: string;
  readonly text: string;
  readonly authorId: string;
}

export interface Given<T> {
  readonly item: T;
  /** As the notes will show it (initials as they stand now). */
  readonly preview: string;
}

function person(subject: Subject): Person {
  return { userId: subject.userId, identity: subject.identity };
}

function rendered(blocks: readonly DiscussionBlock[]): string {
  return blocks.map(renderDiscussionBlock).join('\n');
}

/** The initials of everyone in the record, read with the names set with /name. */
async function initialsIn(ctx: MeetingContext, guildId: string, record: DiscussionRecord): Promise<Map<string, string>> {
  const people = discussionPeople(record);
  const names = await ctx.store.names.getMany(
    guildId,
    people.map((p) => p.userId),
  );
  return namesAndInitials(people, names).initials;
}

/** Checks and applies one item; the meeting must exist and be of a discussion series. */
async function give<T extends { readonly id: string }>(
  ctx: MeetingContext,
  key: MeetingKey,
  command: string,
  list: (record: DiscussionRecord) => readonly T[],
  add: (record: DiscussionRecord, now: string) => { record: DiscussionRecord; item: T },
  same: (a: T, b: T) => boolean,
): Promise<{ item: T; record: DiscussionRecord; guildId: string }> {
  discussionSeries(ctx, key, command);
  // In the meeting's turn from the start, so that items given at once keep the order they came in.
  return changeDiscussion(ctx, key, async (record, now) => {
    const meeting = await requireMeeting(ctx, key);
    const { record: next, item } = add(record, now);
    // Given before: kept once, answered the same.
    const earlier = list(record).find((i) => i.id === item.id || same(i, item));
    if (earlier) return { record, result: { item: earlier, record, guildId: meeting.guildId } };
    return { record: next, result: { item, record: next, guildId: meeting.guildId } };
  });
}

export async function addNote(ctx: MeetingContext, key: MeetingKey, input: NoteInput): Promise<Given<DiscussionNote>> {
  if (input.subject.bot === true) throw new UserError('Bots do not give notes; only people appear in the notes.');
  const text = cleanNote(input.text);
  const topic = cleanTopic(input.topic);
  const given = await give(
    ctx,
    key,
    '/update',
    (r) => r.notes,
    (record, now) => {
      // A topic already used keeps its first spelling, so both notes land under one heading.
      const same = topic === undefined ? undefined : record.notes.find((n) => n.topic !== undefined && topicKey(n.topic) === topicKey(topic))?.topic;
      const note: DiscussionNote = {
        id: input.id,
        ...person(input.subject),
        authorId: input.authorId,
        ...(topic === undefined ? {} : { topic: same ?? topic }),
        text,
        givenAt: now,
      };
      return { record: { ...record, notes: [...record.notes, note] }, item: note };
    },
    (a, b) => a.userId === b.userId && a.text === b.text && topicKey(a.topic ?? '') === topicKey(b.topic ?? ''),
  );
  ctx.log.info({ meeting: key, userId: given.item.userId, authorId: given.item.authorId }, 'discussion note recorded');
  const initials = await initialsIn(ctx, given.guildId, given.record);
  const blocks = noteBlocks(given.item.text, initials.get(given.item.userId) ?? 'X');
  const heading: DiscussionBlock[] = given.item.topic === undefined ? [] : [{ kind: 'heading', level: 3, text: given.item.topic }];
  return { item: given.item, preview: rendered([...heading, ...blocks]) };
}

export async function addTask(ctx: MeetingContext, key: MeetingKey, input: TaskInput) {
  const owners = [...new Map(input.owners.map((o) => [o.userId, o])).values()];
  if (owners.length === 0) throw new UserError('A task needs an owner.');
  if (owners.length > MAX_OWNERS) throw new UserError(`A task has at most ${MAX_OWNERS} owners.`);
  if (owners.some((o) => o.bot === true)) throw new UserError('A bot cannot own a task; only people appear in the notes.');
  const text = cleanLine(input.text, 'task');
  const given = await give(
    ctx,
    key,
    '/task',
    (r) => r.tasks,
    (record, now) => {
      const task = { id: input.id, owners: owners.map(person), text, authorId: input.authorId, givenAt: now };
      return { record: { ...record, tasks: [...record.tasks, task] }, item: task };
    },
    (a, b) => a.text === b.text && a.owners.map((o) => o.userId).join() === b.owners.map((o) => o.userId).join(),
  );
  ctx.log.info({ meeting: key, owners: given.item.owners.map((o) => o.userId), authorId: input.authorId }, 'task recorded');
  const initials = await initialsIn(ctx, given.guildId, given.record);
  const speakers = given.item.owners.map((o) => initials.get(o.userId) ?? 'X');
  return { item: given.item, preview: rendered([{ kind: 'turn', speakers, lines: [given.item.text] }]) };
}

export async function addDecision(ctx: MeetingContext, key: MeetingKey, input: DecisionInput) {
  const text = cleanDecision(input.text);
  const given = await give(
    ctx,
    key,
    '/decision',
    (r) => r.decisions,
    (record, now) => {
      const decision = { id: input.id, text, authorId: input.authorId, givenAt: now };
      return { record: { ...record, decisions: [...record.decisions, decision] }, item: decision };
    },
    (a, b) => a.text === b.text,
  );
  ctx.log.info({ meeting: key, authorId: input.authorId }, 'decision recorded');
  return { item: given.item, preview: rendered([{ kind: 'text', lines: [given.item.text] }]) };
}
