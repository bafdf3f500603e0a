/** The discussion layout's use cases over a real store and the in-memory Discord. */
import { afterEach, describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors.ts';
import { cleanNote, noteBlocks } from '../../src/meetings/discussion-text.ts';
import { renderDiscussionBlock } from '../../src/notes/index.ts';
import { hackathon, member, subject, VOICE, world, type World } from './helpers.ts';

let w: World;
afterEach(async () => {
  await w?.close();
});

const series = () =>
  hackathon({
    id: 'vmm',
    template: 'discussion',
    title: 'VMM WG',
    tags: ['unikraft', 'vmm'],
    teams: ['vmm'],
    open: '30 8 * * 3',
    durationMinutes: 60,
    remindBeforeEndMinutes: 10,
    threadName: 'VMM WG {yyyy}-{mm}-{dd}',
    notesPath: 'discussions/vmm/{yyyy}-{mm}-{dd}.md',
  });
const KEY = 'vmm/2023-06-14';
let nextId = 1000;
const id = () => String(nextId++);
const note = (userId: string, name: string, text: string, topic?: string) => ({
  id: id(),
  subject: subject(userId, name),
  authorId: userId,
  text,
  topic: topic ?? null,
});

describe("a note is always its giver's turn", () => {
  const rendered = (text: string) => noteBlocks(cleanNote(text), 'SJ').map(renderDiscussionBlock).join('\n');

  it("a paragraph typed like another speaker's turn stays the giver's, its text kept", () => {
    expect(rendered('AB: I think so.')).toBe('SJ: AB: I think so.\n');
    expect(rendered('First.\nAB: on a line of its own\n\nNote: a second paragraph\n\nA follow-up.')).toBe(
      'SJ: First.\nAB: on a line of its own\n\nSJ: Note: a second paragraph\n\nA follow-up.\n',
    );
  });

  it("a list or code first is introduced by the giver's initials", () => {
    expect(rendered('- one\n- two')).toBe('SJ:\n\n- one\n- two\n');
    expect(rendered('Next steps:\n- one')).toBe('SJ: Next steps:\n\n- one\n');
  });

  it('refuses an empty note, a heading and a note over the limit', () => {
    expect(() => cleanNote(' \n\t ')).toThrow(UserError);
    expect(() => cleanNote('### Topic\ntext')).toThrow(/cannot hold a heading/);
    expect(() => cleanNote('x'.repeat(4001))).toThrow(/4,001 characters long; the limit is 4,000/);
  });
});

describe('the discussion use cases', () => {
  it('keeps the agenda of the next meeting before it opens, and edits it after', async () => {
    w = await world({ start: '2023-06-14T06:00:00Z', series: series() });
    const key = await w.service.agendaMeetingKey(w.series);
    expect(key).toBe(KEY);
    await w.service.addAgendaItem(key, 'Status update', '1');
    await w.service.addAgendaItem(key, 'Next steps', '1');
    await w.service.addAgendaItem(key, 'AOB', '1');
    w.clock.set('2023-06-14T06:30:00Z');
    await w.service.openMeeting(w.series);
    expect(await w.service.agendaMeetingKey(w.series)).toBe(KEY);
    expect((await w.service.moveAgendaItem(KEY, 3, 1)).map((i) => i.text)).toEqual(['AOB', 'Status update', 'Next steps']);
    expect((await w.service.removeAgendaItem(KEY, 1)).removed.text).toBe('AOB');
    await expect(w.service.moveAgendaItem(KEY, 1, 3)).rejects.toThrow('There is no position 3; the agenda has items 1 to 2 (see /agenda list).');
    const compiled = await w.service.compile(KEY);
    expect(compiled.text).toContain('## :dart: Agenda\n\n- Status update\n- Next steps\n');
  });

  it('loses nothing when many write at once, keeps a note given twice once, and a restart reads it all', async () => {
    w = await world({ start: '2023-06-14T06:30:00Z', series: series() });
    await w.service.openMeeting(w.series);
    const inputs = Array.from({ length: 20 }, (_, i) => note(String(i + 1), `Person${i}`, `note ${i}`, i % 2 === 0 ? 'Even' : 'odd'));
    await Promise.all([
      ...inputs.map((input) => w.service.addNote(KEY, input)),
      w.service.addTask(KEY, { id: id(), owners: [subject('1', 'Person0')], text: 'a task', authorId: '99' }),
      w.service.addDecision(KEY, { id: id(), text: 'A decision.', authorId: '99' }),
    ]);
    // The same interaction handled twice, or the same note given again after no answer: kept once.
    const first = inputs[0];
    if (!first) throw new Error('no input');
    await w.service.addNote(KEY, first);
    await w.service.addNote(KEY, { ...first, id: id(), topic: ' even ' });
    await w.service.addDecision(KEY, { id: id(), text: 'A decision.', authorId: '98' });
    // The same text under another topic is another note.
    await w.service.addNote(KEY, { ...first, id: id(), topic: null });
    const restarted = w.restart();
    const record = await w.store.discussions.get(KEY);
    expect(record?.notes.map((n) => n.text)).toEqual([...inputs.map((i) => i.text), 'note 0']);
    expect(record?.decisions).toHaveLength(1);
    const compiled = await restarted.compile(KEY);
    expect(compiled.layout).toBe('discussion');
    // Topics in order of first use; "odd" and "Odd" would be one.
    expect(compiled.text.indexOf('### Even')).toBeLessThan(compiled.text.indexOf('### odd'));
    for (let i = 1; i < 20; i++) expect(compiled.text.split(`: note ${i}\n`)).toHaveLength(2);
    expect(compiled.text.split(`P: note 0\n`)).toHaveLength(3);
    expect(compiled.text).toMatch(/## :wrench: TODOs and Decisions\n\nP: a task\n\nA decision\.\n$/);
  });

  it('one topic in any case keeps its first spelling; participants are givers, owners, then attendees present long enough', async () => {
    w = await world({ start: '2023-06-14T06:30:00Z', series: series() });
    w.port.voice.set(VOICE, [member('30', 'Listener'), member('1', 'Ana Popescu')]);
    await w.service.openMeeting(w.series);
    await w.service.addNote(KEY, note('1', 'Ana Popescu', 'one', 'Hyper-V'));
    await w.service.addNote(KEY, note('2', 'Bo Pan', 'two', 'hyper-v'));
    const task = await w.service.addTask(KEY, { id: id(), owners: [subject('3', 'Cy'), subject('2', 'Bo Pan')], text: 'do it', authorId: '1' });
    expect(task.preview).toBe('C/BP: do it\n');
    w.clock.set('2023-06-14T06:50:00Z');
    const { notes, roster } = await w.service.compile(KEY);
    expect(notes.participants).toEqual(['Ana Popescu', 'Bo Pan', 'Cy', 'Listener']);
    expect(roster.withUpdate.map((p) => p.name)).toEqual(['Ana Popescu', 'Bo Pan']);
    const text = (await w.service.compile(KEY)).text;
    expect(text).toContain('### Hyper-V\n\nAP: one\n\nBP: two\n');
    expect(text).not.toContain('hyper-v');
  });

  it('reminds the attendees who gave no note, and refuses bots and non-discussion series', async () => {
    w = await world({ start: '2023-06-14T06:30:00Z', series: series() });
    w.port.voice.set(VOICE, [member('1', 'Ana'), member('2', 'Bo')]);
    await w.service.openMeeting(w.series);
    await w.service.addNote(KEY, note('1', 'Ana', 'said something'));
    expect(await w.service.sendReminder(KEY)).toEqual({ sent: true, userIds: ['2'] });
    expect(w.port.messages.at(-1)?.content).toMatch(/^<@2> the meeting ends <t:\d+:R>: add what you said with `\/update`/);
    await expect(w.service.addNote(KEY, { ...note('5', 'Bot', 'beep'), subject: { ...subject('5', 'Bot'), bot: true } })).rejects.toThrow(UserError);
    await expect(w.service.addDecision('hackathon/2023-06-17', { id: id(), text: 'x', authorId: '1' })).rejects.toThrow(/There is no meeting series/);
  });
});
