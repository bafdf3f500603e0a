/**
 * Two Scribe processes that both believe they own a guild, writing the same meeting's records at once:
 * updates (and their index) and voice attendance are read and written under a claim in the store, so
 * neither process loses the other's writes.
 */
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { parseUpdate } from '../../src/notes/bullets.ts';
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

describe.each(backends)('two bots writing one meeting on $name', ({ url }) => {
  it('updates given through both at once: every one stored and listed', async () => {
    const namespace = `scribetest${randomUUID().replaceAll('-', '')}`;
    h = await startHarness({ now: '2022-03-19T08:00:00Z', storeUrl: url, namespace });
    const harness = h;
    const second = await startSecondBot(harness, { url, namespace });
    stopSecond = second.stop;
    const series = harness.config.series[0];
    if (!series) throw new Error('no series');
    await harness.bot.service.openMeeting(series, '2022-03-19');

    const people = Array.from({ length: 40 }, (_, i) => `${700000000000000000n + BigInt(i)}`);
    await Promise.all(
      people.map((userId, i) =>
        (i % 2 === 0 ? harness.bot : second.bot).service.recordUpdate(KEY, {
          subject: { userId, identity: { displayName: `Person ${i}` } },
          update: parseUpdate(`* update ${i}`),
          authorId: userId,
        }),
      ),
    );
    const stored = await harness.store.updates.list(KEY);
    expect(stored.map((u) => u.userId).sort()).toEqual([...people].sort());
  });

  it('voice joins seen by both: every attendee recorded', async () => {
    const namespace = `scribetest${randomUUID().replaceAll('-', '')}`;
    h = await startHarness({ now: '2022-03-19T08:00:00Z', storeUrl: url, namespace, voice: true });
    const harness = h;
    const second = await startSecondBot(harness, { url, namespace });
    stopSecond = second.stop;
    const series = harness.config.series[0];
    if (!series) throw new Error('no series');
    await harness.bot.service.openMeeting(series, '2022-03-19');

    const people = Array.from({ length: 30 }, (_, i) => harness.emu.addMember(harness.guild.guildId, { username: `person${i}`, globalName: `Person ${i}` }));
    for (const id of people) harness.emu.voiceJoin(id, harness.guild.voiceChannelId);
    const recorded = async () => new Set((await harness.store.attendance.get(KEY))?.attendees.map((a) => a.userId));
    await eventually(async () => {
      const ids = await recorded();
      return people.every((id) => ids.has(id));
    }, 10_000);
    // Both bots have handled every join by now; neither wrote over the other's.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const ids = await recorded();
    expect(people.filter((id) => !ids.has(id))).toEqual([]);
  });
});
