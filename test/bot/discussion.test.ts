/**
 * A working-group meeting in the discussion layout, end to end through the emulator with the real
 * client: the agenda prepared before the meeting, notes through the form and the text option, under
 * topics, one given by a maintainer for someone else, a task with two owners and a decision; the
 * notes posted equal a file written by hand. Bad input and non-maintainers are answered as for /update.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from './harness.ts';
import { lastNotesFile, run, startMeeting } from './steps.ts';
import type { StoredMessage } from '../emulator/index.ts';
import { parseDiscussion } from '../../src/notes/index.ts';
import type { SeriesInput } from '../../src/config.ts';

let h: Harness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

const VMM: Partial<SeriesInput> = {
  template: 'discussion',
  title: 'VMM WG',
  tags: ['unikraft', 'vmm'],
  teams: ['vmm'],
  open: '30 8 * * 3',
  durationMinutes: 60,
  threadName: 'VMM WG {yyyy}-{mm}-{dd}',
  notesPath: 'discussions/vmm/{yyyy}-{mm}-{dd}.md',
};

/** A member opens the /update form (in a discussion meeting: the note form) and submits it. */
async function giveNote(h: Harness, userId: string, channelId: string, fields: { note: string; topic?: string }): Promise<StoredMessage> {
  const ack = await h.emu.slash(userId, channelId, 'update').waitForAck();
  expect(ack.type, `the /update answer: ${JSON.stringify(ack.data)}`).toBe(9);
  return h.emu.submitModal(userId, channelId, String(ack.data?.custom_id), fields).waitForAnswer();
}

function expectEphemeral(reply: StoredMessage, content: string | RegExp): void {
  if (typeof content === 'string') expect(reply.content).toBe(content);
  else expect(reply.content).toMatch(content);
  expect(reply.flags & 64).toBe(64);
}

// Written by hand: what the meeting below must produce, byte for byte.
const EXPECTED = `---
title: "VMM WG, June 14, 2023"
tags: unikraft, vmm
datetime: 2023-06-14T08:30:00+02:00
location: Online, Discord (https://bit.ly/UnikraftDiscord), the \`#monkey-business\` voice channel
teams:
- vmm
participants:
- ȘtefanJ
- RobertD
- Razvan D
- carol
---

## :dart: Agenda

- Status update
- Next steps

## :closed_book: Discussions

RaD: Welcome, two topics today.

### Hyper-V

SJ: Stuck in the sample part.
I started allocating different sizes.

SJ: It only works with one page size.

If I allocate with \`palloc\`, it fails.

### VMware

RD: I got \`vmxnet3\` going.

C: Next step is \`virtio-vsock\` on PCI.

C: BB: is that QEMU only?

## :wrench: TODOs and Decisions

SJ/RD: Make it work with Unikraft 0.13.

Hyper-V work moves to a separate repository.
`;

describe('a working-group meeting in the discussion layout', () => {
  it('four people, two agenda items, two topics, six turns, a task with two owners and a decision: the notes equal the file written by hand', async () => {
    h = await startHarness({ now: '2023-06-14T06:00:00Z', series: VMM });
    const { maintainer, alice, bob, carol } = h.guild.members;

    // Before the meeting opens, the agenda is the next meeting's.
    const early = await run(h, maintainer, h.guild.textChannelId, 'agenda add', { text: 'Status update' });
    expect(early.content).toBe('Added. The agenda of the meeting of 2023-06-14:\n```md\n1. Status update\n```');

    h.clock.set('2023-06-14T06:30:00Z');
    const thread = await startMeeting(h);
    expect(h.emu.messages(thread)[0]?.content).toMatch(/^Welcome! This thread collects the meeting notes: the agenda, the discussion/);
    await run(h, maintainer, thread, 'agenda add', { text: 'Next steps' });
    await run(h, maintainer, thread, 'agenda add', { text: 'Dropped item' });
    await run(h, maintainer, thread, 'agenda move', { item: 3, position: 1 });
    const removed = await run(h, maintainer, thread, 'agenda remove', { item: 1 });
    expect(removed.content).toBe('Removed. The agenda of the meeting of 2023-06-14:\n```md\n1. Status update\n2. Next steps\n```');

    // Bob's notes name makes his initials RD; the maintainer (Razvan D) appears later, so gets one more letter.
    await run(h, bob, thread, 'name set', { name: 'RobertD' });
    expect((await run(h, bob, thread, 'name show')).content).toBe(
      'You appear in the notes as **RobertD** (set with /name set); your initials in discussion notes: **RD**.',
    );

    const first = await giveNote(h, alice, thread, { note: 'Stuck in the sample part.\nI started allocating different sizes.', topic: 'Hyper-V' });
    expectEphemeral(
      first,
      'Saved. Your note, as it will appear in the notes:\n```md\n### Hyper-V\n\nSJ: Stuck in the sample part.\nI started allocating different sizes.\n```',
    );
    await run(h, bob, thread, 'update', { text: 'I got `vmxnet3` going.', topic: 'VMware' });
    const welcome = await run(h, maintainer, thread, 'update', { text: 'Welcome, two topics today.' });
    expect(welcome.content).toContain('RaD: Welcome, two topics today.');

    // A restart mid-meeting resumes from the store.
    await h.restart();
    await giveNote(h, alice, thread, { note: 'It only works with one page size.\n\nIf I allocate with `palloc`, it fails.', topic: 'hyper-v' });
    const forCarol = await run(h, maintainer, thread, 'update', { text: 'Next step is `virtio-vsock` on PCI.', topic: 'VMware', for: carol });
    expect(forCarol.content).toContain('Saved. The note for carol, as it will appear in the notes:');
    // A line typed like another speaker's turn stays the giver's own.
    const question = await giveNote(h, carol, thread, { note: 'BB: is that QEMU only?', topic: 'VMware' });
    expect(question.content).toContain('\nC: BB: is that QEMU only?\n');

    const task = await run(h, maintainer, thread, 'task', { text: 'Make it work with Unikraft 0.13.', owner: alice, owner2: bob });
    expectEphemeral(task, 'Saved. The task, as it will appear in the notes:\n```md\nSJ/RD: Make it work with Unikraft 0.13.\n```');
    await run(h, maintainer, thread, 'decision', { text: 'Hyper-V work moves to a separate repository.' });

    const posted = await run(h, maintainer, thread, 'summary');
    expect(posted.content).toMatch(/^Posted revision 1 of the notes .*2023-06-14\.md attached\)\.$/);
    const notes = lastNotesFile(h, thread);
    expect(notes).toBe(EXPECTED);
    // The canonical form: read back without a single warning.
    expect(parseDiscussion(notes).warnings).toEqual([]);
    expect(h.emu.violations()).toEqual([]);
    // The messages posted are the file, each exactly its part trimmed, split at block boundaries (one message here).
    const summaryMessages = h.emu
      .messages(thread)
      .filter((m) => m.authorId === h?.guild.botUserId)
      .slice(1);
    expect(summaryMessages.map((m) => m.content)).toEqual([EXPECTED.trim()]);
    expect(summaryMessages[0]?.attachments[0]?.text()).toBe(EXPECTED);

    const status = await run(h, maintainer, thread, 'meeting status');
    expect(status.content).toContain('\nNotes given by (4): ȘtefanJ, RobertD, Razvan D, carol\nAttendees without a note (0)');

    // /meeting end: no change since revision 1, nothing posted again; the thread archived.
    const ended = await run(h, maintainer, thread, 'meeting end');
    expect(ended.content).toBe('Ended the meeting of 2023-06-14 and archived its thread.');
    expect(lastNotesFile(h, thread)).toBe(EXPECTED);
  });

  it('answers bad input and non-maintainers as /update does, and keeps nothing of it', async () => {
    h = await startHarness({ now: '2023-06-14T06:30:00Z', series: VMM });
    const { maintainer, alice, bob } = h.guild.members;
    const thread = await startMeeting(h);
    await run(h, maintainer, thread, 'agenda add', { text: 'Status update' });
    // A server may let everyone use /task and /decision (Discord's integration settings): Scribe still refuses.
    h.emu.allowCommandForEveryone(h.guild.guildId, 'task');
    h.emu.allowCommandForEveryone(h.guild.guildId, 'decision');

    expectEphemeral(await run(h, bob, thread, 'task', { text: 'x', owner: alice }), "Only the meeting's maintainers can record a task.");
    expectEphemeral(await run(h, bob, thread, 'decision', { text: 'x' }), "Only the meeting's maintainers can record a decision.");
    expectEphemeral(await run(h, bob, thread, 'agenda add', { text: 'mine' }), "Only the meeting's maintainers can edit the agenda.");
    expectEphemeral(await run(h, bob, thread, 'agenda remove', { item: 1 }), "Only the meeting's maintainers can edit the agenda.");
    expectEphemeral(
      await run(h, bob, thread, 'update', { text: 'for alice', for: alice }),
      "Only the meeting's maintainers can give an update for someone else.",
    );
    // Anyone may read the agenda.
    expect((await run(h, bob, thread, 'agenda list')).content).toContain('1. Status update');

    expectEphemeral(await giveNote(h, alice, thread, { note: '   \n  ' }), 'The note is empty; type what was said.');
    expectEphemeral(
      await giveNote(h, alice, thread, { note: '## A heading\nand text' }),
      /^A note cannot hold a heading \("## A heading"\); give its topic with the topic option instead\.$/,
    );
    expectEphemeral(await run(h, alice, thread, 'update', { text: 'x'.repeat(10), topic: '  ' }), /^Saved\./);
    expectEphemeral(
      await run(h, maintainer, thread, 'decision', { text: 'AB: we keep it' }),
      '"AB:" at the start would make the notes read the decision as a task of that speaker; reword its start (use /task for a task).',
    );
    expectEphemeral(await run(h, maintainer, thread, 'agenda remove', { item: 5 }), 'There is no item 5; the agenda has items 1 to 1 (see /agenda list).');
    expectEphemeral(await run(h, maintainer, thread, 'agenda add', { text: '   ' }), 'The agenda item is empty; type it.');
    expectEphemeral(
      await run(h, maintainer, thread, 'task', { text: 'a bot owns it', owner: h.guild.botUserId }),
      'A bot cannot own a task; only people appear in the notes.',
    );

    const stored = await h.store.discussions.get('hackathon/2023-06-14');
    expect(stored?.agenda.map((a) => a.text)).toEqual(['Status update']);
    expect(stored?.notes.map((n) => n.text)).toEqual(['xxxxxxxxxx']);
    expect(stored?.tasks).toEqual([]);
    expect(stored?.decisions).toEqual([]);
  });

  it('an activities series refuses the discussion commands with a reason, and /update keeps replacing the block', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice } = h.guild.members;
    const thread = await startMeeting(h);
    expectEphemeral(
      await run(h, maintainer, thread, 'agenda add', { text: 'x' }),
      '/agenda is for meetings in the discussion layout; this series writes one block per person (use /update).',
    );
    expectEphemeral(
      await run(h, maintainer, thread, 'decision', { text: 'x' }),
      '/decision is for meetings in the discussion layout; this series writes one block per person (use /update).',
    );
    expectEphemeral(
      await run(h, alice, thread, 'update', { text: 'x', topic: 'y' }),
      'topic: is for meetings in the discussion layout; this meeting has one block of bullets per person.',
    );
  });
});
