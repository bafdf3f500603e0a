/**
 * A meeting whose thread is deleted, or whose permissions are taken away, while it runs: the
 * maintainers are told (the answer to their next command, or the text channel), and the meeting
 * recovers when it can: the same thread once the permissions are back, else a new thread for the same
 * meeting, with its updates, the welcome again and the next revision there, kept across a restart.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { INVITE_PERMISSIONS, Perm } from '../emulator/index.ts';
import { startHarness, type Harness } from './harness.ts';
import { eventually, giveUpdate, lastNotesFile, run, startMeeting, summaries } from './steps.ts';

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const KEY = 'hackathon/2022-03-19';
const WELCOME = /^Welcome! This thread collects the meeting notes\./;

function threadsNamed(harness: Harness): string[] {
  return harness.emu
    .threads(harness.guild.textChannelId)
    .filter((t) => t.name === 'Hackathon 2022-03-19')
    .map((t) => t.id);
}

/** What the bot said in the text channel (not in a thread), oldest first. */
function textChannelNotices(harness: Harness): string[] {
  return harness.emu
    .messages(harness.guild.textChannelId)
    .filter((m) => m.authorId === harness.emu.botUserId)
    .map((m) => m.content);
}

/** Takes a permission from Scribe everywhere in the server: its own role and @everyone (which grants thread permissions in a new server). */
function takeFromRoles(harness: Harness, permission: bigint): () => void {
  const everyone = harness.emu.state.roles.get(harness.guild.everyoneRoleId)?.permissions ?? 0n;
  harness.emu.updateRole(harness.guild.guildId, harness.guild.everyoneRoleId, { permissions: everyone & ~permission });
  harness.emu.updateRole(harness.guild.guildId, harness.guild.botRoleId, { permissions: INVITE_PERMISSIONS & ~permission });
  return () => {
    harness.emu.updateRole(harness.guild.guildId, harness.guild.botRoleId, { permissions: INVITE_PERMISSIONS });
    harness.emu.updateRole(harness.guild.guildId, harness.guild.everyoneRoleId, { permissions: everyone });
  };
}

describe('a deleted meeting thread', () => {
  it('is replaced at once: same meeting and updates, the welcome again, the text channel told, the next revision there, kept across a restart', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice, bob } = h.guild.members;
    const first = await startMeeting(h);
    await giveUpdate(h, alice, first, '* alice before the deletion');
    expect((await run(h, maintainer, first, 'summary')).content).toMatch(/^Posted revision 1 /);

    h.emu.deleteChannel(first);
    await eventually(() => threadsNamed(h as Harness).length === 1 && threadsNamed(h as Harness)[0] !== first);
    const [second = ''] = threadsNamed(h);
    await eventually(() => textChannelNotices(h as Harness).length === 1);
    expect(textChannelNotices(h)).toEqual([
      `The thread of the meeting of 2022-03-19 was deleted. The meeting goes on in <#${second}>; nothing given so far is lost.`,
    ]);
    await eventually(() => (h as Harness).emu.messages(second).length === 1);
    expect(h.emu.messages(second)[0]?.content).toMatch(WELCOME);
    const stored = await h.store.meetings.get(KEY);
    expect(stored?.threadId).toBe(second);
    expect(stored?.previousThreadIds).toEqual([first]);
    expect(stored?.threadLost).toBeUndefined();
    expect(await h.store.meetings.byThread(second)).toBe(KEY);

    // A restart keeps the new thread: no third one, and the meeting goes on in it.
    await h.restart();
    expect(threadsNamed(h)).toEqual([second]);
    await giveUpdate(h, bob, second, '* bob in the new thread');
    const posted = await run(h, maintainer, second, 'summary');
    expect(posted.content).toMatch(new RegExp(`^Posted revision 2 of the notes in <#${second}> `));
    const notes = lastNotesFile(h, second);
    expect(notes).toContain('* alice before the deletion\n');
    expect(notes).toContain('* bob in the new thread\n');
    expect(summaries(h, second)).toBe(1);

    h.clock.set('2022-03-19T12:00:00Z');
    h.timers.fireDue();
    await eventually(() => h?.emu.channel(second)?.thread?.archived === true);
    expect(h.emu.violations()).toEqual([]);
  });

  it('deleted while Scribe was down: the next /summary finds it gone (10003), opens a new thread and posts there', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice } = h.guild.members;
    const first = await startMeeting(h);
    await giveUpdate(h, alice, first, '* alice before the deletion');
    await h.bot.client.destroy();
    h.emu.deleteChannel(first);
    await h.restart();

    const posted = await run(h, maintainer, h.guild.textChannelId, 'summary');
    const [second = ''] = threadsNamed(h);
    expect(second).not.toBe(first);
    expect(posted.content).toBe(
      `Posted revision 1 of the notes in <#${second}> (1 message, 2022-03-19.md attached). The earlier thread was deleted; this one replaces it.`,
    );
    expect(h.emu.messages(second).map((m) => m.content.slice(0, 8))).toEqual(['Welcome!', '---\ndate']);
    expect(lastNotesFile(h, second)).toContain('* alice before the deletion\n');
    expect((await h.store.meetings.get(KEY))?.previousThreadIds).toEqual([first]);
    // The one refusal: Discord's answer that the thread is gone, which is how Scribe learnt it.
    expect(h.emu.violations().map((v) => [v.kind, v.method, v.path])).toEqual([['unknown-channel', 'GET', `/channels/${first}`]]);
    h.expectRefusal({
      kind: 'unknown-channel',
      route: `GET /channels/${first}`,
      because: 'the thread was deleted while Scribe was down: Discord answers 10003, and that is how Scribe learns it',
    });
  });

  it('while Scribe may not create threads: the text channel is told, /summary says why, and the command after the permission is back opens the new thread', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice, bob } = h.guild.members;
    const first = await startMeeting(h);
    await giveUpdate(h, alice, first, '* alice before the deletion');
    const giveBack = takeFromRoles(h, Perm.CreatePublicThreads);
    // The role change reaches the bot before the deletion does.
    await h.emu.waitForGateway((e) => e.dir === 'out' && e.t === 'GUILD_ROLE_UPDATE');

    h.emu.deleteChannel(first);
    await eventually(() => textChannelNotices(h as Harness).length === 1);
    expect(textChannelNotices(h)[0]).toBe(
      `The thread of the meeting of 2022-03-19 was deleted and a new one cannot be opened: Scribe is missing Create Public Threads in <#${h.guild.textChannelId}>. Updates given with /update here are kept; the next command after that is fixed opens the new thread.`,
    );
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(0);
    expect((await h.store.meetings.get(KEY))?.threadLost).toMatchObject({
      problem: 'gone',
      channelId: h.guild.textChannelId,
      missing: ['Create Public Threads'],
    });

    const refused = await run(h, maintainer, h.guild.textChannelId, 'summary');
    expect(refused.content).toBe(
      `The notes were not posted: Scribe is missing Create Public Threads in <#${h.guild.textChannelId}>. Nothing is lost: every update is kept, and /summary posts them once that is fixed (in the server's settings: Scribe's role, or the channel's permissions).`,
    );
    const saved = await run(h, bob, h.guild.textChannelId, 'update', { text: 'bob while there is no thread' });
    expect(saved.content).toMatch(
      new RegExp(
        `^Scribe cannot post in this meeting's thread right now: Scribe is missing Create Public Threads in <#${h.guild.textChannelId}>\\. What you give is kept all the same\\.\nSaved\\. Your update`,
      ),
    );

    giveBack();
    await eventually(() => h?.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'GUILD_ROLE_UPDATE').length === 4);
    const posted = await run(h, maintainer, h.guild.textChannelId, 'summary');
    const [second = ''] = threadsNamed(h);
    expect(posted.content).toBe(
      `Posted revision 1 of the notes in <#${second}> (1 message, 2022-03-19.md attached). The earlier thread was deleted; this one replaces it.`,
    );
    expect(h.emu.messages(second)[0]?.content).toMatch(WELCOME);
    const notes = lastNotesFile(h, second);
    expect(notes).toContain('* alice before the deletion\n');
    expect(notes).toContain('* bob while there is no thread\n');
    expect((await h.store.meetings.get(KEY))?.threadLost).toBeUndefined();
    expect(h.emu.violations()).toEqual([]);
  });
});

describe("Scribe's permissions taken away in the meeting's channel", () => {
  it('by a channel overwrite: /summary and /update say so, nothing is lost, and the same thread is used once it is lifted', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice, bob } = h.guild.members;
    const thread = await startMeeting(h);
    await giveUpdate(h, alice, thread, '* alice one');
    h.emu.setOverwrites(h.guild.textChannelId, [{ id: h.guild.botRoleId, type: 'role', deny: Perm.SendMessagesInThreads }]);
    await h.emu.waitForGateway((e) => e.dir === 'out' && e.t === 'CHANNEL_UPDATE');

    const refused = await run(h, maintainer, thread, 'summary');
    expect(refused.content).toBe(
      `The notes were not posted: Scribe is missing Send Messages in Threads in <#${thread}>. Nothing is lost: every update is kept, and /summary posts them once that is fixed (in the server's settings: Scribe's role, or the channel's permissions).`,
    );
    expect((await h.store.meetings.get(KEY))?.threadLost).toMatchObject({ problem: 'no-access', channelId: thread, missing: ['Send Messages in Threads'] });
    const saved = await giveUpdate(h, bob, thread, '* bob while Scribe cannot post');
    expect(saved.content).toMatch(
      /^Scribe cannot post in this meeting's thread right now: Scribe is missing Send Messages in Threads in <#\d+>\. What you give is kept/,
    );
    expect(summaries(h, thread)).toBe(0);

    h.emu.setOverwrites(h.guild.textChannelId, []);
    await eventually(() => h?.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'CHANNEL_UPDATE').length === 2);
    const back = await run(h, alice, thread, 'update', { text: 'alice two' });
    expect(back.content).toMatch(new RegExp(`^Scribe can post in <#${thread}> again\\.\nSaved\\.`));
    expect((await h.store.meetings.get(KEY))?.threadLost).toBeUndefined();
    const posted = await run(h, maintainer, thread, 'summary');
    expect(posted.content).toMatch(new RegExp(`^Posted revision 1 of the notes in <#${thread}> \\(1 message, [^)]+\\)\\.$`));
    const notes = lastNotesFile(h, thread);
    expect(notes).toContain('* alice one\n* alice two\n');
    expect(notes).toContain('* bob while Scribe cannot post\n');
    expect(threadsNamed(h)).toEqual([thread]);
    expect(h.emu.violations()).toEqual([]);
  });

  it('/meeting end says the notes could not be posted and why; the meeting is over all the same', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    await giveUpdate(h, h.guild.members.alice, thread, '* alice one');
    h.emu.setOverwrites(h.guild.textChannelId, [{ id: h.guild.botRoleId, type: 'role', deny: Perm.SendMessagesInThreads }]);
    await h.emu.waitForGateway((e) => e.dir === 'out' && e.t === 'CHANNEL_UPDATE');
    const ended = await run(h, h.guild.members.maintainer, thread, 'meeting end');
    expect(ended.content).toBe(
      `Ended the meeting of 2022-03-19; its notes could not be posted (Scribe is missing Send Messages in Threads in <#${thread}>): once that is fixed, /summary posts them.`,
    );
    expect((await h.store.meetings.get(KEY))?.status).toBe('ended');
    expect(h.emu.channel(thread)?.thread?.archived).toBe(false);
    expect(summaries(h, thread)).toBe(0);
    expect(h.emu.violations()).toEqual([]);
  });

  it('over the scheduled end: the meeting ends, the text channel is told, and a /summary after the role is fixed posts the notes and archives the thread', async () => {
    h = await startHarness({ now: '2022-03-19T08:00:00Z' });
    const { maintainer, alice } = h.guild.members;
    const thread = await startMeeting(h);
    await giveUpdate(h, alice, thread, '* alice one');
    const giveBack = takeFromRoles(h, Perm.SendMessagesInThreads);
    await eventually(() => h?.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'GUILD_ROLE_UPDATE').length === 2);

    h.clock.set('2022-03-19T12:00:00Z');
    h.timers.fireDue();
    await eventually(async () => (await h?.store.meetings.get(KEY))?.status === 'ended');
    expect(textChannelNotices(h)).toEqual([
      `The meeting of 2022-03-19 has ended, but its notes could not be posted: Scribe is missing Send Messages in Threads in <#${thread}>. Nothing is lost; once that is fixed, a maintainer can post them with /summary.`,
    ]);
    expect(summaries(h, thread)).toBe(0);
    // No end was left to retry: the meeting is over.
    expect(h.bot.scheduler.armed().filter((a) => a.kind === 'retry-end')).toEqual([]);

    giveBack();
    await eventually(() => h?.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'GUILD_ROLE_UPDATE').length === 4);
    const posted = await run(h, maintainer, thread, 'summary');
    expect(posted.content).toMatch(/^Posted revision 1 of the notes/);
    expect(lastNotesFile(h, thread)).toContain('* alice one\n');
    await eventually(() => h?.emu.channel(thread)?.thread?.archived === true);
    expect(h.emu.violations()).toEqual([]);
  });

  it('/meeting start without Create Public Threads says so; started again once it is given back', async () => {
    // A Friday: no scheduled meeting is open at start-up.
    h = await startHarness({ now: '2022-03-18T08:00:00Z' });
    const giveBack = takeFromRoles(h, Perm.CreatePublicThreads);
    await eventually(() => h?.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'GUILD_ROLE_UPDATE').length === 2);
    const refused = await run(h, h.guild.members.maintainer, h.guild.textChannelId, 'meeting start');
    expect(refused.content).toBe(
      `That could not be done: Scribe is missing Create Public Threads in <#${h.guild.textChannelId}>. Please ask a server admin to fix it, then try again.`,
    );
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(0);
    giveBack();
    await eventually(() => h?.emu.gatewayLog().filter((e) => e.dir === 'out' && e.t === 'GUILD_ROLE_UPDATE').length === 4);
    const thread = await startMeeting(h);
    expect(h.emu.messages(thread)[0]?.content).toMatch(WELCOME);
    expect(h.emu.violations()).toEqual([]);
  });
});
