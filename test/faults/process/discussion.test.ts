/**
 * SIGKILL during a meeting in the discussion layout: the agenda, notes, tasks and decisions confirmed
 * with "Saved" are never lost; one cut off is given again and kept once (a note given again is not
 * doubled, even when it had been saved without its answer reaching the member).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../../emulator/index.ts';
import { answered, inFlight, notesFiles, startWorld, until, type World } from './scribe-process.ts';
import { command, isOriginalEdit, occurrences, previewNotes, theThread } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

const DISCUSSION = { template: 'discussion', title: 'VMM WG', tags: ['vmm'], teams: ['vmm'] };

/** Opens the note form and submits it; resolves with the handle (answered or not). */
async function submitNote(w: World, userId: string, threadId: string, note: string, topic: string): Promise<InteractionHandle> {
  const ack = await w.emu.slash(userId, threadId, 'update').waitForAck(10_000);
  expect(ack.type).toBe(9);
  return w.emu.submitModal(userId, threadId, String(ack.data?.custom_id), { note, topic });
}

const saved = (h: InteractionHandle) => h.original()?.content.startsWith('Saved.') === true;

describe('SIGKILL during a discussion meeting', { timeout: 60_000 }, () => {
  it('killed while the "Saved" answer is in flight, then in a burst of notes: everything confirmed is kept, what is given again is kept once', async () => {
    world = await startWorld({ extra: DISCUSSION });
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const { maintainer, alice, bob } = w.guild.members;
    expect((await command(w, maintainer, threadId, 'agenda add', { text: 'Status update' })).content).toMatch(/^Added\./);
    expect((await command(w, maintainer, threadId, 'task', { text: 'Review the PR.', owner: alice, owner2: bob })).content).toMatch(/^Saved\./);

    // Killed after the write, while the "Saved" edit is held on its way.
    w.emu.delayRoute(isOriginalEdit, 1_000, 1);
    const first = await submitNote(w, alice, threadId, 'Stuck in the sample part.', 'Hyper-V');
    const held = await inFlight(w.emu, isOriginalEdit);
    await w.live.kill('SIGKILL');
    await answered(w.emu, held);

    await w.start();
    const afterFirst = await previewNotes(w, threadId);
    expect(afterFirst).toContain('- Status update\n');
    expect(afterFirst).toContain('### Hyper-V\n\nSJ: Stuck in the sample part.\n');
    expect(afterFirst).toContain(': Review the PR.\n');
    expect(first.original()?.content).toMatch(/^Saved\./);
    // Given again (as by someone who saw no answer): still one.
    expect((await (await submitNote(w, alice, threadId, 'Stuck in the sample part.', 'Hyper-V')).waitForAnswer(undefined, 10_000)).content).toMatch(/^Saved\./);

    // A burst of notes from eight members; killed once three are confirmed.
    const members = Array.from({ length: 8 }, (_, i) => w.emu.addMember(w.guild.guildId, { username: `member${i}` }));
    const handles = await Promise.all(members.map((id, i) => submitNote(w, id, threadId, `burst note ${i}`, 'VMware')));
    await until(() => handles.filter(saved).length >= 3, 'three confirmations', 20_000);
    await w.live.kill('SIGKILL');
    await until(() => w.emu.requests().every((r) => r.status !== 0), 'requests in flight answered');
    const confirmed = handles.map(saved);
    expect(confirmed.filter(Boolean).length).toBeGreaterThanOrEqual(3);

    await w.start();
    const before = await previewNotes(w, threadId);
    confirmed.forEach((ok, i) => {
      if (ok) expect(occurrences(before, `: burst note ${i}\n`)).toBe(1);
    });
    // Those who saw no confirmation give their note again.
    for (const [i, ok] of confirmed.entries()) {
      if (!ok) {
        const again = await submitNote(w, members[i] ?? '', threadId, `burst note ${i}`, 'VMware');
        expect((await again.waitForAnswer(undefined, 10_000)).content).toMatch(/^Saved\./);
      }
    }
    const reply = await command(w, maintainer, threadId, 'summary');
    expect(reply.content).toMatch(/^Posted revision 1 /);
    const [notes = ''] = notesFiles(w, threadId);
    for (let i = 0; i < 8; i++) expect(occurrences(notes, `: burst note ${i}\n`)).toBe(1);
    expect(occurrences(notes, 'Stuck in the sample part.')).toBe(1);
    expect(occurrences(notes, '- Status update\n')).toBe(1);
    expect(notes).toMatch(/^---\ntitle: "VMM WG, /);
  });
});
