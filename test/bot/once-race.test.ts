/**
 * Two Scribe processes that both believe they own a guild (two discord.js clients, two store connections
 * on one namespace, each with its own timers) run the steps that must happen once at the same moment:
 * the meeting's claim in the store (src/meetings/claim.ts) lets one do each, and the other finds it done.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { LEASE_MS, meetingClaim } from '../../src/meetings/claim.ts';
import { createFixture, type Fixture } from '../publish/git-fixture.ts';
import { startHarness, startSecondBot, type Harness } from './harness.ts';
import { eventually, giveUpdate, summaries } from './steps.ts';

const KEY = 'hackathon/2022-03-19';
const REMINDER = 'please give your update';
const SUBJECT = 'community: Add summary of meeting on March 19, 2022';
const backends = [
  { name: 'Redis', url: 'redis://127.0.0.1:6379' },
  { name: 'PostgreSQL', url: 'postgres://postgres@127.0.0.1:5432/test' },
];

let h: Harness | undefined;
let stopSecond: (() => Promise<void>) | undefined;
let fx: Fixture | undefined;
afterEach(async () => {
  await stopSecond?.();
  await h?.close();
  fx?.close();
  h = undefined;
  stopSecond = undefined;
  fx = undefined;
});

/**
 * Both bots started before 09:00 Berlin, both cron triggers fired at 09:00 (one thread), both with the
 * end (13:00) and the reminder (12:30) armed; alice, bob and carol in voice from the start, carol's update given.
 */
async function twoBotsInAMeeting(url: string, publishTo?: string) {
  const namespace = `scribetest${randomUUID().replaceAll('-', '')}`;
  const publish =
    publishTo === undefined
      ? {}
      : { publish: { kind: 'git' as const, remote: publishTo, branch: 'main', author: { name: 'Scribe', email: 'scribe@example.org' } } };
  h = await startHarness({ now: '2022-03-19T07:30:00Z', storeUrl: url, namespace, series: { remindBeforeEndMinutes: 30, ...publish } });
  const harness = h;
  const second = await startSecondBot(harness, { url, namespace }, { publishDir: join(harness.config.env.PUBLISH_DIR, '..', 'publish-second') });
  stopSecond = second.stop;
  // In voice before the meeting opens, seeded by the opening: voice events reach both bots, and their
  // attendance writes are not what these tests are about.
  const { alice, bob, carol } = harness.guild.members;
  for (const id of [alice, bob, carol]) harness.emu.voiceJoin(id, harness.guild.voiceChannelId);
  for (const bot of [harness.bot, second.bot]) {
    await eventually(async () => {
      const channel = await bot.client.channels.fetch(harness.guild.voiceChannelId);
      return channel?.isVoiceBased() === true && channel.members.size === 3;
    });
  }
  harness.clock.set('2022-03-19T08:00:00Z');
  await Promise.all([harness.bot.scheduler.task('hackathon')?.execute(), second.bot.scheduler.task('hackathon')?.execute()]);
  await eventually(async () => (await harness.store.meetings.get(KEY))?.status === 'open');
  const [thread] = harness.emu.threads(harness.guild.textChannelId);
  if (!thread) throw new Error('no thread');
  for (const bot of [harness.bot, second.bot]) {
    await eventually(() => bot.scheduler.armed().some((t) => t.kind === 'end'));
    expect(bot.scheduler.armed().map((t) => t.kind)).toEqual(expect.arrayContaining(['end', 'reminder']));
  }
  expect((await harness.store.attendance.get(KEY))?.attendees.length).toBe(3);
  await giveUpdate(harness, carol, thread.id, '* done early');
  const series = harness.config.series[0];
  if (!series) throw new Error('no series');
  return { h: harness, second, series, threadId: thread.id };
}

/** Thread archivals Scribe asked for. */
const archivals = (h: Harness, threadId: string) =>
  h.emu.requests().filter((r) => r.method === 'PATCH' && r.path === `/channels/${threadId}` && JSON.stringify(r.body).includes('"archived":true'));

describe.each(backends)('two bots on one $name namespace, each once-step at the same moment', { timeout: 60_000 }, ({ url }) => {
  it('both post the notes (/summary): one revision, posted once; the other answers with it', async () => {
    const { h, second, threadId } = await twoBotsInAMeeting(url);
    // The first message of the revision takes half a second: both bots are inside the posting at once.
    h.emu.delayRoute(`POST /channels/${threadId}/messages`, 500, 1);
    const [one, two] = await Promise.all([h.bot.service.postSummary(KEY), second.bot.service.postSummary(KEY)]);

    expect([one.posted, two.posted].sort()).toEqual([false, true]);
    expect([one.revision, two.revision]).toEqual([1, 1]);
    expect(summaries(h, threadId)).toBe(1);
    const meeting = await h.store.meetings.get(KEY);
    expect(meeting?.summaryRevision).toBe(1);
    expect(meeting?.summary?.completedAt).toBeDefined();
    expect(await h.store.atomic.get(meetingClaim(KEY))).toBeUndefined();
    expect(h.emu.violations()).toEqual([]);
  });

  it('both reach the reminder: one reminder message', async () => {
    const { h, second, series, threadId } = await twoBotsInAMeeting(url);
    h.clock.set('2022-03-19T11:30:00Z');
    h.emu.delayRoute(`POST /channels/${threadId}/messages`, 500, 1);
    await Promise.all([h.bot.scheduler.onReminder(series, KEY), second.bot.scheduler.onReminder(series, KEY)]);

    const reminders = h.emu.messages(threadId).filter((m) => m.content.includes(REMINDER));
    expect(reminders).toHaveLength(1);
    const { alice, bob } = h.guild.members;
    expect([...h.emu.mentionsOf(reminders[0] ?? '').users].sort()).toEqual([alice, bob].sort());
    expect((await h.store.meetings.get(KEY))?.reminderMessageId).toBe(reminders[0]?.id);
    expect(h.emu.violations()).toEqual([]);
  });

  it('both reach the scheduled end: one final revision, the thread archived once, ended at 13:00', async () => {
    const { h, second, series, threadId } = await twoBotsInAMeeting(url);
    h.clock.set('2022-03-19T12:00:00Z');
    h.emu.delayRoute(`POST /channels/${threadId}/messages`, 500, 1);
    await Promise.all([h.bot.scheduler.onEnd(series, KEY), second.bot.scheduler.onEnd(series, KEY)]);

    expect(summaries(h, threadId)).toBe(1);
    expect(archivals(h, threadId)).toHaveLength(1);
    expect(h.emu.channel(threadId)?.thread?.archived).toBe(true);
    const meeting = await h.store.meetings.get(KEY);
    expect(meeting).toMatchObject({ status: 'ended', endedAt: '2022-03-19T12:00:00.000Z', summaryRevision: 1 });
    expect(h.emu.violations()).toEqual([]);
  });

  it('both end a meeting whose series publishes to git: one commit, one publish recorded, both told it is done', async () => {
    fx = createFixture();
    const { h, second, threadId } = await twoBotsInAMeeting(url, fx.bare);
    h.clock.set('2022-03-19T12:00:00Z');
    const [one, two] = await Promise.all([h.bot.service.endMeeting(KEY), second.bot.service.endMeeting(KEY)]);

    expect(fx.log('main')).toEqual([SUBJECT, 'Initial commit']);
    expect(fx.show('main', 'hackathons/2022/2022-03-19.md')).toContain('* done early');
    expect(summaries(h, threadId)).toBe(1);
    expect([one.publish.status, two.publish.status]).toEqual(['done', 'done']);
    const record = await h.store.publishes.get(KEY);
    expect(record?.entries).toMatchObject([{ revision: 1, status: 'done', attempts: 0, changed: true }]);
    expect(await h.store.publishes.pending()).toEqual([]);
    expect(h.emu.violations()).toEqual([]);
  }, 90_000);

  it("a meeting's claim left by a process that crashed mid-revision is taken over once its lease expires, and the revision is posted once", async () => {
    const { h, second, threadId } = await twoBotsInAMeeting(url);
    const stale = { owner: 'crashed', expiresAt: new Date(h.clock.now().getTime() + LEASE_MS).toISOString() };
    expect(await h.store.atomic.create(meetingClaim(KEY), stale)).toBe(true);
    const posting = second.bot.service.postSummary(KEY);
    await new Promise((r) => setTimeout(r, 600));
    // Still waiting for the claim's holder: nothing posted.
    expect(summaries(h, threadId)).toBe(0);
    h.clock.advance(LEASE_MS);
    const result = await posting;
    expect(result).toMatchObject({ posted: true, revision: 1 });
    expect(summaries(h, threadId)).toBe(1);
    expect(await h.store.atomic.get(meetingClaim(KEY))).toBeUndefined();
    expect(h.emu.violations()).toEqual([]);
  });
});
