/**
 * SIGTERM: the work in flight finishes (an update being submitted is saved and its person told so,
 * whether its deferral, its write or its "Saved" was under way),
 * the gateway is closed cleanly (close 1000 from the client), and the process exits 0 within 10 s.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { inFlight, notesFiles, sleep, startWorld, type World } from './scribe-process.ts';
import { command, giveUpdate, occurrences, theThread, isCallback, isOriginalEdit, lockStore, openForm } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

describe('SIGTERM', { timeout: 60_000 }, () => {
  it('with one submission held at its deferral, one at its write and one at its "Saved" reply: all three are saved and confirmed, the gateway closes with 1000, exit code 0 within 10 s', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const { alice, bob, carol } = w.guild.members;
    const dave = w.emu.addMember(w.guild.guildId, { username: 'dave' });
    await giveUpdate(w, carol, threadId, '* carol before the stop');
    const [aliceForm, bobForm, daveForm] = await Promise.all([alice, bob, dave].map((id) => openForm(w, id, threadId)));

    // Bob's update is written; his "Saved" is held on its way to Discord.
    w.emu.delayRoute(isOriginalEdit, 2_000, 1);
    const bobSubmit = w.emu.submitModal(bob, threadId, bobForm ?? '', { bullets: '* bob in flight at its reply' });
    await inFlight(w.emu, isOriginalEdit);
    // Alice's acknowledgement (the deferral) is held on its way.
    w.emu.delayRoute(isCallback, 2_000, 1);
    const aliceSubmit = w.emu.submitModal(alice, threadId, aliceForm ?? '', { bullets: '* alice in flight at its deferral' });
    await inFlight(w.emu, isCallback);
    // Dave's write waits on the database, which another connection holds until after the stop begins.
    const lock = await lockStore(w);
    const daveSubmit = w.emu.submitModal(dave, threadId, daveForm ?? '', { bullets: '* dave in flight at its write' });
    const daveAck = await daveSubmit.waitForAck(5_000).finally(() => setTimeout(() => void lock.release(), 500));
    expect(daveAck.type).toBe(5);
    expect(daveSubmit.original()?.content ?? '').not.toContain('Saved');

    const process = w.live;
    const connection = w.emu
      .gatewayLog()
      .filter((e) => e.dir === 'out' && e.t === 'READY')
      .at(-1)?.connectionId;
    const sentAt = Date.now();
    process.child.kill('SIGTERM');
    const outcome = await Promise.race([process.exited, sleep(10_000).then(() => 'still running after 10 s' as const)]);
    expect(outcome).toEqual({ code: 0, signal: null });
    expect(Date.now() - sentAt).toBeLessThan(10_000);

    for (const submitted of [aliceSubmit, bobSubmit, daveSubmit]) expect((await submitted.waitForAnswer(undefined, 1_000)).content).toContain('Saved');
    const closes = w.emu.gatewayLog().filter((e) => e.dir === 'close' && e.connectionId === connection);
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ by: 'client', code: 1000 });
    expect(process.logs().map((l) => l.msg)).toEqual(expect.arrayContaining(['shutting down', 'stopped']));
    expect(process.logs().filter((l) => typeof l.level === 'number' && l.level >= 50)).toEqual([]);

    await w.start();
    const reply = await command(w, w.guild.members.maintainer, threadId, 'summary');
    expect(reply.content).toMatch(/^Posted revision 1 /);
    const notes = notesFiles(w, threadId)[0] ?? '';
    for (const line of [
      '* carol before the stop\n',
      '* alice in flight at its deferral\n',
      '* bob in flight at its reply\n',
      '* dave in flight at its write\n',
    ]) {
      expect(occurrences(notes, line)).toBe(1);
    }
    expect(w.emu.violations()).toEqual([]);
  });
});
