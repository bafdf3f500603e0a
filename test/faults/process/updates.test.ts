/**
 * SIGKILL while updates are written: an update confirmed with "Saved" is never lost; one cut off
 * before its write is simply given again; no one ends up with two blocks. Points 4–6 of the ten.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionHandle } from '../../emulator/index.ts';
import { answered, inFlight, notesFiles, startWorld, until, type World } from './scribe-process.ts';
import { command, giveUpdate, occurrences, previewNotes, theThread, isCallback, isOriginalEdit, lockStore, openForm } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

/** Posts the notes and returns the file; every bullet given must be in it exactly once. */
async function finalNotes(w: World, threadId: string): Promise<string> {
  const reply = await command(w, w.guild.members.maintainer, threadId, 'summary');
  expect(reply.content).toMatch(/^Posted revision 1 /);
  const files = notesFiles(w, threadId);
  expect(files).toHaveLength(1);
  return files[0] ?? '';
}

describe('SIGKILL while updates are written', { timeout: 60_000 }, () => {
  it('point 4: killed while the write is under way (the database locked) and its deferral (interaction callback) in flight: nothing half-written, the member gives it again, one block', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const { alice, bob } = w.guild.members;
    await giveUpdate(w, bob, threadId, '* bob before the crash');
    const form = await openForm(w, alice, threadId);
    const lock = await lockStore(w);
    try {
      w.emu.delayRoute(isCallback, 1_000, 1);
      const submitted = w.emu.submitModal(alice, threadId, form, { bullets: '* alice cut off' });
      // The deferral went out as the submission arrived and is held on its way; the write cannot finish.
      const held = await inFlight(w.emu, isCallback);
      await w.live.kill('SIGKILL');
      await answered(w.emu, held);
      expect((held.body as { type?: number } | undefined)?.type).toBe(5);
      // Acknowledged ("thinking…") but never confirmed as saved.
      expect(submitted.original()?.content ?? '').not.toContain('Saved');
    } finally {
      await lock.release();
    }

    await w.start();
    const before = await previewNotes(w, threadId);
    expect(before).toContain('* bob before the crash\n');
    expect(before).not.toContain('alice cut off');
    expect((await giveUpdate(w, alice, threadId, '* alice cut off')).content).toContain('Saved');
    const notes = await finalNotes(w, threadId);
    expect(occurrences(notes, '* alice cut off\n')).toBe(1);
    expect(occurrences(notes, '* bob before the crash\n')).toBe(1);
  });

  it('point 5: killed after the write, while the "Saved" reply (PATCH @original) is in flight: the update is in the notes after the restart, once', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const { alice } = w.guild.members;
    await giveUpdate(w, alice, threadId, '* alice first version');
    const form = await openForm(w, alice, threadId);
    w.emu.delayRoute(isOriginalEdit, 1_000, 1);
    const submitted = w.emu.submitModal(alice, threadId, form, { bullets: '* alice second version\n* and a second bullet' });
    const held = await inFlight(w.emu, isOriginalEdit);
    await w.live.kill('SIGKILL');
    await answered(w.emu, held);
    expect(submitted.original()?.content).toContain('Saved');

    await w.start();
    // The form comes back pre-filled with what was saved.
    const ack = await w.emu.slash(alice, threadId, 'update').waitForAck(10_000);
    expect(JSON.stringify(ack.data)).toContain('* alice second version\\n* and a second bullet');
    const notes = await finalNotes(w, threadId);
    expect(occurrences(notes, '* alice second version\n* and a second bullet\n')).toBe(1);
    expect(notes).not.toContain('alice first version');
  });

  it('point 6: killed in the middle of a burst of 12 concurrent submissions: every one confirmed is kept, the rest are given again, 12 blocks, none twice', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const members = Array.from({ length: 12 }, (_, i) => w.emu.addMember(w.guild.guildId, { username: `member${i}` }));
    const forms = await Promise.all(members.map((id) => openForm(w, id, threadId)));
    const handles: InteractionHandle[] = members.map((id, i) => w.emu.submitModal(id, threadId, forms[i] ?? '', { bullets: `* burst update of member ${i}` }));
    // Kill as soon as four of them have been confirmed: the others are at every other stage.
    await until(() => handles.filter((h) => h.original()?.content.includes('Saved') === true).length >= 4, 'four confirmations', 20_000);
    await w.live.kill('SIGKILL');
    await until(() => w.emu.requests().every((r) => r.status !== 0), 'requests in flight answered');
    const confirmed = handles.map((h) => h.original()?.content.includes('Saved') === true);
    expect(confirmed.filter(Boolean).length).toBeGreaterThanOrEqual(4);

    await w.start();
    const before = await previewNotes(w, threadId);
    confirmed.forEach((ok, i) => {
      if (ok) expect(occurrences(before, `* burst update of member ${i}\n`)).toBe(1);
    });
    // A member who saw no confirmation gives the update again.
    for (const [i, ok] of confirmed.entries()) {
      if (!ok) expect((await giveUpdate(w, members[i] ?? '', threadId, `* burst update of member ${i}`)).content).toContain('Saved');
    }
    const notes = await finalNotes(w, threadId);
    for (let i = 0; i < 12; i++) expect(occurrences(notes, `* burst update of member ${i}\n`)).toBe(1);
    expect(occurrences(notes, '* burst update of member ')).toBe(12);
  });
});
