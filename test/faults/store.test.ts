/**
 * The store going away mid-meeting: Redis and Postgres behind a loopback proxy that is cut and
 * restored (the shared servers keep running). While it is away every /update path answers "not saved"
 * and writes nothing; once it is back the same bot process carries on.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { giveUpdate, run, startMeeting } from '../bot/steps.ts';
import { TcpProxy } from '../store/tcp-proxy.ts';
import { lastNotesFile, startFaultHarness, summaries, type FaultHarness } from './harness.ts';

let h: FaultHarness | undefined;
let proxy: TcpProxy | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not leave them to the next test.
  const [done, cut] = [h, proxy];
  h = undefined;
  proxy = undefined;
  await cut?.start().catch(() => undefined);
  try {
    await done?.close();
  } finally {
    await cut?.cut();
  }
});

const KEY = 'hackathon/2022-03-19';
const NOT_SAVED = 'Not saved: the storage is unavailable right now. Please try again in a minute.';

describe.each([
  ['Redis', 6379, (port: number) => `redis://127.0.0.1:${port}`],
  ['Postgres', 5432, (port: number) => `postgres://postgres@127.0.0.1:${port}/test`],
])('%s stopped mid-meeting', (_name, targetPort, urlFor) => {
  it('every /update answers "not saved, try again", nothing is half-written, and work resumes without a restart', async () => {
    proxy = new TcpProxy('127.0.0.1', targetPort);
    const port = await proxy.start();
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z', storeUrl: urlFor(port) });
    const harness = h;
    const { alice, bob, carol, maintainer } = harness.guild.members;
    const thread = await startMeeting(harness);
    await giveUpdate(harness, alice, thread, '* alice before the outage');
    // Bob opens the form before the outage and submits it during it.
    const bobForm = await harness.emu.slash(bob, thread, 'update').waitForAck();
    const bot = harness.bot;

    await proxy.cut();
    const during = [
      await harness.emu.slash(bob, thread, 'update', { text: 'bob during the outage' }).waitForAnswer(),
      await harness.emu.submitModal(bob, thread, String(bobForm.data?.custom_id), { bullets: '* bob via the form' }).waitForAnswer(),
    ];
    // /update without text reads the store before it can show the form: it answers at once instead.
    const aliceForm = harness.emu.slash(alice, thread, 'update');
    const aliceAck = await aliceForm.waitForAck();
    expect(aliceAck.type).toBe(4);
    expect(aliceAck.data?.content).toBe(NOT_SAVED);
    expect(Number(aliceAck.data?.flags) & 64).toBe(64);
    for (const reply of during) {
      expect(reply?.content).toBe(NOT_SAVED);
      expect((reply?.flags ?? 0) & 64).toBe(64);
    }
    const forCarol = await run(harness, maintainer, thread, 'update', { text: "on carol's behalf", for: carol });
    expect(forCarol.content).toBe(NOT_SAVED);

    await proxy.start();
    // The client reconnects on its own; until it has, a command may still meet the old connection.
    let saved = '';
    for (let attempt = 0; attempt < 50 && !saved.startsWith('Saved.'); attempt++) {
      saved = (await run(harness, bob, thread, 'update', { text: 'bob after the outage' })).content;
      if (!saved.startsWith('Saved.')) {
        expect(saved).toBe(NOT_SAVED);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
    expect(saved).toMatch(/^Saved\. Your update, as it will appear in the notes:/);
    expect(harness.bot).toBe(bot);

    // Nothing from the outage was written, not even in part; alice's earlier update is whole.
    const updates = await harness.store.updates.list(KEY);
    expect(updates.map((u) => [u.userId, u.update.bullets.map((b) => b.text)])).toEqual([
      [alice, ['alice before the outage']],
      [bob, ['bob after the outage']],
    ]);
    await giveUpdate(harness, carol, thread, '* carol after the outage');
    expect((await run(harness, maintainer, thread, 'summary')).content).toMatch(/^Posted revision 1/);
    const notes = lastNotesFile(harness, thread);
    expect(notes).toContain('* alice before the outage\n');
    expect(notes).toContain('* bob after the outage\n');
    expect(notes).toContain('* carol after the outage\n');
    expect(notes).not.toContain('during the outage');
    expect(summaries(harness, thread)).toBe(1);
    expect(harness.emu.violations()).toEqual([]);
  }, 60_000);
});
