/**
 * A discussion meeting's notes from what the store holds: the agenda as a list; the notes grouped by
 * topic (notes without one first, then each topic as a `###` sub-heading in the order of its first
 * use), each note its giver's turn; the tasks as turns of their owners, then the decisions. Participants:
 * everyone the notes name (givers and owners, in the order they first appear), then the attendees present
 * long enough. Pure.
 */
import { datetimeOf, discussionTitle, type DiscussionBlock, type DiscussionNotes } from '../notes/index.ts';
import type { CompileSeries } from './compile.ts';
import { noteBlocks, topicKey } from './discussion-text.ts';
import { assignInitials } from './initials.ts';
import { resolveName } from './names.ts';
import type { AttendanceRecord, DiscussionNote, DiscussionRecord, MeetingRecord, NameRecord, Person } from './records.ts';
import { peopleRoster, type PeopleRoster, type RosterEntry } from './roster.ts';
import { locationFor } from './templates.ts';

export interface DiscussionSeries extends CompileSeries {
  readonly title?: string | undefined;
  readonly tags?: readonly string[] | undefined;
}

export interface CompileDiscussionInput {
  readonly series: DiscussionSeries;
  readonly meeting: MeetingRecord;
  readonly discussion: DiscussionRecord | undefined;
  readonly attendance: AttendanceRecord | undefined;
  readonly names: ReadonlyMap<string, NameRecord>;
  readonly now: Date;
}

/** Everyone the notes name, in the order they first appear: note givers and task owners, by when given. */
export function discussionPeople(record: DiscussionRecord | undefined): Person[] {
  if (!record) return [];
  const appearances: { at: string; people: readonly Person[] }[] = [
    ...record.notes.map((note) => ({ at: note.givenAt, people: [note] })),
    ...record.tasks.map((task) => ({ at: task.givenAt, people: task.owners })),
  ];
  // Stable: a note and a task given at the same instant keep notes first.
  appearances.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const seen = new Map<string, Person>();
  for (const { people } of appearances) for (const person of people) if (!seen.has(person.userId)) seen.set(person.userId, person);
  return [...seen.values()];
}

/** Each person's notes name and initials (unique in the meeting). */
export function namesAndInitials(people: readonly Person[], names: ReadonlyMap<string, NameRecord>): { entries: RosterEntry[]; initials: Map<string, string> } {
  const entries = people.map((p) => ({ userId: p.userId, name: resolveName(names.get(p.userId)?.name, p.identity, p.userId).name }));
  return { entries, initials: assignInitials(entries) };
}

/** The Discussions section: notes without a topic, then each topic with its notes. */
function discussionBlocks(notes: readonly DiscussionNote[], initials: ReadonlyMap<string, string>): DiscussionBlock[] {
  const untitled: DiscussionNote[] = [];
  const topics = new Map<string, { title: string; notes: DiscussionNote[] }>();
  for (const note of notes) {
    if (note.topic === undefined) {
      untitled.push(note);
      continue;
    }
    const key = topicKey(note.topic);
    const topic = topics.get(key) ?? { title: note.topic, notes: [] };
    topic.notes.push(note);
    topics.set(key, topic);
  }
  const turns = (list: readonly DiscussionNote[]) => list.flatMap((note) => noteBlocks(note.text, initials.get(note.userId) ?? 'X'));
  return [
    ...turns(untitled),
    ...[...topics.values()].flatMap((topic): DiscussionBlock[] => [{ kind: 'heading', level: 3, text: topic.title }, ...turns(topic.notes)]),
  ];
}

export function compileDiscussion(input: CompileDiscussionInput): { notes: DiscussionNotes; roster: PeopleRoster } {
  const { series, meeting, discussion } = input;
  const until = meeting.endedAt !== undefined ? new Date(meeting.endedAt) : input.now;
  const { entries, initials } = namesAndInitials(discussionPeople(discussion), input.names);
  const givers = new Set(discussion?.notes.map((n) => n.userId) ?? []);
  const people = peopleRoster({
    attendance: input.attendance,
    names: input.names,
    minPresenceMinutes: series.minPresenceMinutes,
    until,
    given: entries.filter((e) => givers.has(e.userId)),
    named: entries,
  });
  const agenda: DiscussionBlock[] =
    discussion && discussion.agenda.length > 0 ? [{ kind: 'list', items: discussion.agenda.map((item) => ({ text: item.text })) }] : [];
  const todos: DiscussionBlock[] = [
    ...(discussion?.tasks ?? []).map((task): DiscussionBlock => ({
      kind: 'turn',
      speakers: task.owners.map((o) => initials.get(o.userId) ?? 'X'),
      lines: [task.text],
    })),
    ...(discussion?.decisions ?? []).map((decision): DiscussionBlock => ({ kind: 'text', lines: [decision.text] })),
  ];
  const notes: DiscussionNotes = {
    ...(series.title === undefined ? {} : { title: discussionTitle(series.title, meeting.localDate) }),
    ...(series.tags === undefined || series.tags.length === 0 ? {} : { tags: series.tags }),
    datetime: datetimeOf(new Date(meeting.opensAt), series.timeZone),
    location: locationFor(series, meeting.voiceChannelName ?? 'voice'),
    teams: [...series.teams],
    participants: people.participants,
    agenda,
    discussion: discussionBlocks(discussion?.notes ?? [], initials),
    todos,
  };
  return { notes, roster: people };
}
