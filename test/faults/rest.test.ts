/**
 * REST faults on the routes Scribe writes to: rate limits on message posting, 5xx on thread creation,
 * and slow routes behind interactions (which must still be acknowledged within Discord's 3 s).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { eventually, giveUpdate, startMeeting } from '../bot/steps.ts';
import { lastNotesFile, startFaultHarness, summaries, type FaultHarness } from './harness.ts';

let h: FaultHarness | undefined;
afterEach(async () => {
  // Forgotten first: a close that fails (an unexpected refusal) must not be closed again by the next test.
  const done = h;
  h = undefined;
  await done?.close();
});

const KEY = 'hackathon/2022-03-19';

describe('429s on message posting', () => {
  it('50 consecutive 429s with Retry-After: the summary still appears exactly once', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const thread = await startMeeting(h);
    await giveUpdate(h, h.guild.members.alice, thread, '* shipped the release');
    const welcomeSeq = h.emu.requests().at(-1)?.seq ?? 0;
    const limited = h.emu.rateLimit(`POST /channels/${thread}/messages`, 50, { retryAfter: 0.01 });

    const reply = await h.emu.slash(h.guild.members.maintainer, thread, 'summary').waitForAnswer(undefined, 30_000);
    expect(reply.content).toMatch(/^Posted revision 1 of the notes in <#\d+> \(1 message, 2022-03-19\.md attached\)\.$/);
    expect(limited.hits).toBe(50);
    expect(limited.remaining).toBe(0);
    const posts = h.emu.requests().filter((r) => r.method === 'POST' && r.path === `/channels/${thread}/messages` && r.seq > welcomeSeq);
    // 50 refused, then the one that went through: nothing was posted twice.
    expect(posts.filter((r) => r.status === 429)).toHaveLength(50);
    expect(posts.filter((r) => r.status === 200)).toHaveLength(1);
    expect(summaries(h, thread)).toBe(1);
    expect(lastNotesFile(h, thread)).toContain('* shipped the release\n');

    // The scheduled end after that posts nothing new (the text did not change).
    h.clock.set('2022-03-19T12:00:00Z');
    h.timers.fireDue();
    await eventually(async () => (await h?.store.meetings.get(KEY))?.status === 'ended');
    expect(summaries(h, thread)).toBe(1);
    expect(h.emu.violations()).toEqual([]);
  });
});

describe('5xx on thread creation', () => {
  it('a /meeting start that meets a 5xx storm is retried with backoff and opens one thread', async () => {
    // Before the scheduled open, so that nothing opens at start-up.
    h = await startFaultHarness({ now: '2022-03-19T07:00:00Z' });
    // discord.js makes 4 attempts at once; the 5th and 6th come after Scribe's own waits.
    const failing = h.emu.failRoute(`POST /channels/${h.guild.textChannelId}/threads`, 6, 502);
    const thread = await startMeeting(h);
    expect(failing.hits).toBe(6);
    const attempts = h.emu.requests().filter((r) => r.method === 'POST' && r.path === `/channels/${h?.guild.textChannelId}/threads`);
    expect(attempts.map((r) => r.status)).toEqual([502, 502, 502, 502, 502, 502, 201].slice(0, attempts.length));
    expect(attempts.filter((r) => r.status < 300)).toHaveLength(1);
    expect(h.emu.threads(h.guild.textChannelId).map((t) => t.id)).toEqual([thread]);
    const meeting = await h.store.meetings.get(KEY);
    expect(meeting?.status).toBe('open');
    expect(meeting?.threadId).toBe(thread);
    expect(h.emu.messages(thread).filter((m) => m.content.startsWith('Welcome!'))).toHaveLength(1);
  });

  it('a scheduled open that fails outright is retried by the scheduler; the meeting opens once', async () => {
    h = await startFaultHarness({ now: '2022-03-19T07:00:00Z' });
    const harness = h;
    harness.clock.set('2022-03-19T08:00:00Z');
    const task = harness.bot.scheduler.task('hackathon');
    if (!task) throw new Error('no cron task');
    // More 5xx than every retry of one attempt can absorb: the first open fails as a whole.
    const failing = harness.emu.failRoute(`POST /channels/${harness.guild.textChannelId}/threads`, 1_000, 500);
    await task.execute();
    expect(harness.emu.threads(harness.guild.textChannelId)).toHaveLength(0);
    expect((await harness.store.meetings.get(KEY))?.status).toBe('opening');
    const retry = harness.bot.scheduler.armed().find((a) => a.kind === 'retry-open');
    expect(retry).toBeDefined();

    failing.remove();
    // A second cron trigger in between changes nothing; the retry opens the meeting.
    harness.clock.set(retry?.at ?? new Date());
    expect(harness.timers.fireDue()).toBeGreaterThan(0);
    await eventually(async () => (await harness.store.meetings.get(KEY))?.status === 'open');
    await task.execute();
    expect(harness.emu.threads(harness.guild.textChannelId)).toHaveLength(1);
    const thread = harness.emu.threads(harness.guild.textChannelId)[0]?.id ?? '';
    expect(harness.emu.messages(thread).filter((m) => m.content.startsWith('Welcome!'))).toHaveLength(1);
    expect(failing.hits).toBeGreaterThan(4);
  });
});

describe('slow REST routes', () => {
  it('every interaction is acknowledged within the deadline while the routes it uses take 3.5 s', async () => {
    h = await startFaultHarness({ now: '2022-03-19T08:00:00Z' });
    const harness = h;
    const { maintainer, alice, bob } = harness.guild.members;
    // Every channel route (threads, messages, archive, channel reads) answers after 3.5 s.
    harness.emu.delayRoute('/channels/', 3_500);
    harness.emu.delayRoute('/guilds/', 3_500);

    const start = harness.emu.slash(maintainer, harness.guild.textChannelId, 'meeting start');
    const opened = await start.waitForAnswer(undefined, 20_000);
    const thread = /<#(\d+)>/.exec(opened.content)?.[1] ?? '';
    expect(thread).not.toBe('');

    const modal = harness.emu.slash(bob, thread, 'update');
    const modalAck = await modal.waitForAck();
    expect(modalAck.type).toBe(9);
    const handles = [
      start,
      modal,
      harness.emu.slash(alice, thread, 'update', { text: 'slow but saved' }),
      harness.emu.submitModal(bob, thread, String(modalAck.data?.custom_id), { bullets: '* bob via the form' }),
      harness.emu.slash(alice, thread, 'name set', { name: 'Alice' }),
      harness.emu.slash(maintainer, thread, 'meeting status'),
      harness.emu.slash(maintainer, thread, 'summary', { preview: true }),
    ];
    await Promise.all(handles.slice(2).map((x) => x.waitForAnswer(undefined, 20_000)));
    const posted = await harness.emu.slash(maintainer, thread, 'summary').waitForAnswer(undefined, 20_000);
    expect(posted.content).toMatch(/^Posted revision 1/);
    const ended = harness.emu.slash(maintainer, thread, 'meeting end');
    expect((await ended.waitForAnswer(undefined, 30_000)).content).toMatch(/^Ended the meeting of 2022-03-19/);

    for (const x of [...handles, ended]) {
      const [first] = x.events().filter((e) => e.kind === 'callback');
      expect(first && 'accepted' in first ? first.accepted : false).toBe(true);
    }
    // No no-ack or late-ack: each was acknowledged before Discord's deadline.
    expect(harness.emu.violations()).toEqual([]);
    expect((await harness.store.updates.list(KEY)).map((u) => u.update.bullets.map((b) => b.text)).sort()).toEqual([['bob via the form'], ['slow but saved']]);
    expect(summaries(harness, thread)).toBe(1);
  }, 60_000);
});
