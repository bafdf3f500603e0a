/**
 * SIGKILL while a meeting opens, then a restart on the same store: one thread, one welcome message,
 * and the meeting open and usable. Points 1–3 of the ten (the others: updates, summary, end tests).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { answered, botMessages, inFlight, isThreadCreate, notesFiles, startWorld, type World } from './scribe-process.ts';
import { command, giveUpdate, theThread, WELCOME } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

/** The meeting works after the restarts: an update lands in the notes posted by /summary. */
async function meetingWorks(w: World, threadId: string): Promise<void> {
  const saved = await giveUpdate(w, w.guild.members.alice, threadId, '* alice after the crash');
  expect(saved.content).toContain('Saved');
  const reply = await command(w, w.guild.members.maintainer, threadId, 'summary');
  expect(reply.content).toMatch(/^Posted revision 1/);
  const files = notesFiles(w, threadId);
  expect(files).toHaveLength(1);
  expect(files[0]).toContain('* alice after the crash\n');
}

describe('SIGKILL while the meeting opens', { timeout: 60_000 }, () => {
  it('point 1: scheduled open, killed while POST /channels/{text}/threads is in flight (Discord creates the thread, the bot never sees it): the restart finds it, no second thread', async () => {
    world = await startWorld();
    const w = world;
    w.emu.delayRoute(isThreadCreate(w.guild.textChannelId), 1_000, 1);
    const first = w.start();
    const held = await inFlight(w.emu, (r) => r.method === 'POST' && r.path === `/channels/${w.guild.textChannelId}/threads`);
    await w.processes[0]?.kill('SIGKILL');
    await first.catch(() => undefined);
    await answered(w.emu, held);
    expect(w.emu.threads(w.guild.textChannelId)).toHaveLength(1);
    expect(botMessages(w, theThread(w))).toHaveLength(0);

    await w.start();
    const threadId = theThread(w);
    expect(botMessages(w, threadId).filter((m) => WELCOME.test(m.content))).toHaveLength(1);
    await meetingWorks(w, threadId);
    expect(w.emu.threads(w.guild.textChannelId)).toHaveLength(1);
  });

  it('point 2: /meeting start outside any scheduled window, killed while the thread creation is in flight: start-up reconciliation completes the opening with that thread', async () => {
    // Opens on 1 January only: no scheduled window now, so only /meeting start opens a meeting.
    world = await startWorld({ open: '0 0 1 1 *' });
    const w = world;
    await w.start();
    expect(w.emu.threads(w.guild.textChannelId)).toHaveLength(0);
    w.emu.delayRoute(isThreadCreate(w.guild.textChannelId), 1_000, 1);
    const asked = w.emu.slash(w.guild.members.maintainer, w.guild.textChannelId, 'meeting start');
    const held = await inFlight(w.emu, (r) => r.method === 'POST' && r.path === `/channels/${w.guild.textChannelId}/threads`);
    await w.live.kill('SIGKILL');
    await answered(w.emu, held);

    await w.start();
    const threadId = theThread(w);
    // Reconciled at start-up, before anyone runs /meeting start again.
    expect(botMessages(w, threadId).filter((m) => WELCOME.test(m.content))).toHaveLength(1);
    expect((await asked.waitForAck()).type).toBe(5);
    const again = await command(w, w.guild.members.maintainer, w.guild.textChannelId, 'meeting start');
    expect(again.content).toMatch(/already open/);
    await meetingWorks(w, threadId);
    expect(w.emu.threads(w.guild.textChannelId)).toHaveLength(1);
  });

  it('point 3: killed while the welcome message is in flight (Discord posts it, the bot never records it): the restart finds its own message, no second welcome', async () => {
    world = await startWorld();
    const w = world;
    const welcome = (r: { method: string; path: string }) =>
      r.method === 'POST' && /^\/channels\/\d+\/messages$/.test(r.path) && r.path !== `/channels/${w.guild.textChannelId}/messages`;
    w.emu.delayRoute(welcome, 1_000, 1);
    const first = w.start();
    const held = await inFlight(w.emu, welcome);
    await w.processes[0]?.kill('SIGKILL');
    await first.catch(() => undefined);
    await answered(w.emu, held);
    const threadId = theThread(w);
    expect(botMessages(w, threadId).filter((m) => WELCOME.test(m.content))).toHaveLength(1);

    await w.start();
    expect(theThread(w)).toBe(threadId);
    expect(botMessages(w, threadId).filter((m) => WELCOME.test(m.content))).toHaveLength(1);
    await meetingWorks(w, threadId);
  });
});
