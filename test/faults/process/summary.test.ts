/**
 * SIGKILL while the notes are posted or the meeting is ended by hand: no notes message twice, none
 * missing, and the start-up completes what was cut short. Points 7, 8 and 10 of the ten (9 is the
 * scheduled end, in end.test.ts).
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { RouteRequest } from '../../emulator/faults.ts';
import { partsCarried } from '../../notes/chunk-parts.ts';
import { answered, botMessages, inFlight, notesFiles, startWorld, until, type World } from './scribe-process.ts';
import { command, giveUpdate, occurrences, theThread, WELCOME } from './steps.ts';

let world: World | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = world;
  world = undefined;
  await done?.close();
});

const postIn = (channelId: string) => (r: RouteRequest) => r.method === 'POST' && r.path === `/channels/${channelId}/messages`;

/** The bot's notes messages in the thread (everything it posted but the welcome). */
function notesMessages(w: World, threadId: string) {
  return botMessages(w, threadId).filter((m) => !WELCOME.test(m.content));
}

/** Each notes message's content occurs once: nothing was posted twice. */
function expectNoDuplicates(w: World, threadId: string): void {
  const contents = notesMessages(w, threadId).map((m) => m.content);
  expect(new Set(contents).size).toBe(contents.length);
}

async function updates(w: World, threadId: string, count: number, long = false): Promise<string[]> {
  const people = [w.guild.members.alice, w.guild.members.bob, w.guild.members.carol];
  while (people.length < count) people.push(w.emu.addMember(w.guild.guildId, { username: `member${people.length}` }));
  const texts = people.map((_, i) =>
    long
      ? [1, 2, 3].map((b) => `* person ${i} bullet ${b}: ${'worked on the scheduler and its tests, '.repeat(4).trim()}`).join('\n')
      : `* person ${i} did a thing`,
  );
  for (const [i, id] of people.entries()) expect((await giveUpdate(w, id, threadId, texts[i] ?? '')).content).toContain('Saved');
  return texts;
}

describe('SIGKILL while the notes are posted', { timeout: 60_000 }, () => {
  it('point 7: /summary killed while its first message is in flight and Discord drops it: the start-up posts the revision, once', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const texts = await updates(w, threadId, 3);
    w.emu.delayRoute(postIn(threadId), 1_000, 1);
    w.emu.failRoute(postIn(threadId), 1, 500);
    w.emu.slash(w.guild.members.maintainer, threadId, 'summary');
    const held = await inFlight(w.emu, postIn(threadId));
    await w.live.kill('SIGKILL');
    await answered(w.emu, held);
    expect(notesMessages(w, threadId)).toHaveLength(0);

    await w.start();
    await until(() => notesFiles(w, threadId).length === 1, 'the interrupted revision completed at start-up');
    const again = await command(w, w.guild.members.maintainer, threadId, 'summary');
    expect(again.content).toMatch(/^Nothing changed since revision 1/);
    const files = notesFiles(w, threadId);
    expect(files).toHaveLength(1);
    for (const text of texts) expect(occurrences(files[0] ?? '', `${text}\n`)).toBe(1);
    expectNoDuplicates(w, threadId);
  });

  it('point 8: a notes revision in several messages, killed while the second is in flight and Discord posts it: the start-up finds it and posts only the rest', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const texts = await updates(w, threadId, 8, true);
    let posts = 0;
    const secondPost = (r: RouteRequest) => postIn(threadId)(r) && ++posts === 2;
    w.emu.delayRoute(secondPost, 1_000, 1);
    w.emu.slash(w.guild.members.maintainer, threadId, 'summary');
    const held = await inFlight(w.emu, (r) => postIn(threadId)(r) && r.fault === 'delay');
    await w.live.kill('SIGKILL');
    await answered(w.emu, held);
    expect(notesMessages(w, threadId)).toHaveLength(2);
    expect(notesFiles(w, threadId)).toHaveLength(0);

    await w.start();
    await until(() => notesFiles(w, threadId).length === 1, 'the interrupted revision completed at start-up');
    const messages = notesMessages(w, threadId);
    expect(messages.length).toBeGreaterThanOrEqual(3);
    expectNoDuplicates(w, threadId);
    // The messages, in order, are the file: each exactly its part, trimmed as Discord stores it.
    const file = notesFiles(w, threadId)[0] ?? '';
    expect(
      partsCarried(
        file,
        messages.map((m) => m.content),
      ),
    ).toHaveLength(messages.length);
    for (const text of texts) expect(occurrences(file, `${text}\n`)).toBe(1);
    const again = await command(w, w.guild.members.maintainer, threadId, 'summary');
    expect(again.content).toMatch(/^Nothing changed since revision 1/);
  });

  it('point 10: /meeting end killed while the thread archiving (PATCH /channels/{thread}) is in flight: the start-up finishes ending it, the notes are not posted again', async () => {
    world = await startWorld();
    const w = world;
    await w.start();
    const threadId = theThread(w);
    const texts = await updates(w, threadId, 3);
    const archiving = (r: RouteRequest) => r.method === 'PATCH' && r.path === `/channels/${threadId}`;
    w.emu.delayRoute(archiving, 1_000, 1);
    w.emu.slash(w.guild.members.maintainer, threadId, 'meeting end');
    const held = await inFlight(w.emu, archiving);
    await w.live.kill('SIGKILL');
    await answered(w.emu, held);
    expect(w.emu.channel(threadId)?.thread?.archived).toBe(true);
    expect(notesFiles(w, threadId)).toHaveLength(1);

    await w.start();
    const status = await command(w, w.guild.members.maintainer, threadId, 'meeting status');
    expect(status.content).toMatch(/\(ended\)/);
    expect(notesFiles(w, threadId)).toHaveLength(1);
    for (const text of texts) expect(occurrences(notesFiles(w, threadId)[0] ?? '', `${text}\n`)).toBe(1);
    expectNoDuplicates(w, threadId);
    expect(w.emu.threads(w.guild.textChannelId)).toHaveLength(1);
    expect(w.emu.violations()).toEqual([]);
  });
});
