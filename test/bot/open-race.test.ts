/**
 * Two Scribe processes that both believe they own a guild (two discord.js clients, two store connections
 * on one namespace) open the same meeting at the same moment: the store's claim lets one create the
 * thread and post the welcome; the other answers with the winner's meeting.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { LEASE_MS, meetingClaim } from '../../src/meetings/claim.ts';
import { startHarness, startSecondBot, type Harness } from './harness.ts';
import { eventually } from './steps.ts';

const KEY = 'hackathon/2022-03-19';
const backends = [
  { name: 'Redis', url: 'redis://127.0.0.1:6379' },
  { name: 'PostgreSQL', url: 'postgres://postgres@127.0.0.1:5432/test' },
];

let h: Harness | undefined;
let stopSecond: (() => Promise<void>) | undefined;
afterEach(async () => {
  await stopSecond?.();
  await h?.close();
  h = undefined;
  stopSecond = undefined;
});

async function twoBots(url: string) {
  const namespace = `scribetest${randomUUID().replaceAll('-', '')}`;
  // Before the scheduled open (09:00 Berlin), so that neither bot opens the meeting at start-up.
  h = await startHarness({ now: '2022-03-19T07:30:00Z', storeUrl: url, namespace });
  const second = await startSecondBot(h, { url, namespace });
  stopSecond = second.stop;
  h.clock.set('2022-03-19T08:00:00Z');
  const series = h.config.series[0];
  if (!series) throw new Error('no series');
  return { h, second, series };
}

const welcomes = (h: Harness, threadId: string) => h.emu.messages(threadId).filter((m) => m.content.startsWith('Welcome!'));

describe.each(backends)('two bots on one $name namespace', { timeout: 60_000 }, ({ url }) => {
  it('both open the same meeting at once: one thread, one welcome, both answer with it, no violation', async () => {
    const { h, second, series } = await twoBots(url);
    // The thread creation takes a second: both bots are inside the opening at the same time.
    h.emu.delayRoute(`POST /channels/${h.guild.textChannelId}/threads`, 1_000);
    const [one, two] = await Promise.all([h.bot.service.openMeeting(series, '2022-03-19'), second.bot.service.openMeeting(series, '2022-03-19')]);

    expect([one.created, two.created].filter(Boolean)).toHaveLength(1);
    const threads = h.emu.threads(h.guild.textChannelId);
    expect(threads).toHaveLength(1);
    const threadId = threads[0]?.id;
    expect(one.meeting.threadId).toBe(threadId);
    expect(two.meeting.threadId).toBe(threadId);
    expect(one.meeting.status).toBe('open');
    expect(two.meeting.status).toBe('open');
    expect(welcomes(h, threadId ?? '')).toHaveLength(1);
    expect((await second.store.meetings.get(KEY))?.welcomeMessageId).toBe(welcomes(h, threadId ?? '')[0]?.id);
    // The claim is released once the meeting is open.
    expect(await h.store.atomic.get(meetingClaim(KEY))).toBeUndefined();
    expect(h.emu.violations()).toEqual([]);
  });

  it('both cron triggers fire at 09:00: one thread, one welcome', async () => {
    const { h, second } = await twoBots(url);
    h.emu.delayRoute(`POST /channels/${h.guild.textChannelId}/threads`, 500);
    const tasks = [h.bot.scheduler.task('hackathon'), second.bot.scheduler.task('hackathon')];
    await Promise.all(tasks.map((task) => task?.execute()));
    await eventually(async () => (await h.store.meetings.get(KEY))?.status === 'open');
    const threads = h.emu.threads(h.guild.textChannelId);
    expect(threads).toHaveLength(1);
    expect(welcomes(h, threads[0]?.id ?? '')).toHaveLength(1);
    expect(h.emu.violations()).toEqual([]);
  });

  it('a claim left by a process that crashed is taken over once its lease has expired (clock), and the meeting opens once', async () => {
    const { h, series } = await twoBots(url);
    // What a process killed right after claiming leaves behind.
    const stale = { owner: 'crashed', expiresAt: new Date(h.clock.now().getTime() + LEASE_MS).toISOString() };
    expect(await h.store.atomic.create(meetingClaim(KEY), stale)).toBe(true);
    const opening = h.bot.service.openMeeting(series, '2022-03-19');
    await new Promise((r) => setTimeout(r, 600));
    // Still waiting for the claim's holder: nothing created.
    expect(h.emu.threads(h.guild.textChannelId)).toHaveLength(0);
    h.clock.advance(LEASE_MS);
    const { meeting, created } = await opening;
    expect(created).toBe(true);
    expect(h.emu.threads(h.guild.textChannelId).map((t) => t.id)).toEqual([meeting.threadId]);
    expect(welcomes(h, meeting.threadId ?? '')).toHaveLength(1);
    expect(h.emu.violations()).toEqual([]);
  });

  it('a holder that stalls past its lease loses the claim and stops at its next step instead of writing or posting; the taker opens the meeting once', async () => {
    const { h, second, series } = await twoBots(url);
    // An earlier opening cut short (its thread never created): an opening that resumes it looks for an
    // unrecorded thread first, and that look of the first bot hangs for 1.5 s, in which its lease runs out.
    h.emu.failRoute((r) => r.method === 'POST' && r.path === `/channels/${h.guild.textChannelId}/threads`, 1_000, 500);
    await expect(h.bot.service.openMeeting(series, '2022-03-19')).rejects.toThrow();
    h.emu.clearFaults();
    expect(h.emu.threads(h.guild.textChannelId)).toEqual([]);
    h.emu.delayRoute('/threads/active', 1_500, 1);
    const stalled = h.bot.service.openMeeting(series, '2022-03-19');
    const outcome = stalled.then(
      () => 'opened',
      (error: unknown) => (error instanceof Error ? error.name : 'failed'),
    );
    await eventually(() => h.emu.requests().some((r) => r.status === 0 && r.path.includes('/threads/active')));
    h.clock.advance(LEASE_MS + 1_000);
    const taken = await second.bot.service.openMeeting(series, '2022-03-19');
    expect(taken.created).toBe(true);
    expect(await outcome).toBe('LostClaimError');
    expect(h.emu.threads(h.guild.textChannelId).map((t) => t.id)).toEqual([taken.meeting.threadId]);
    expect(welcomes(h, taken.meeting.threadId ?? '')).toHaveLength(1);
    expect(h.emu.violations()).toEqual([]);
  });
});
