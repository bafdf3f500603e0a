/**
 * SCRIBE_SHARDS=2 on one machine: discord.js's ShardingManager runs two shard processes over a shared
 * Redis store; each guild's meeting is opened once, by the shard Discord routes the guild to, and the
 * updates given in its thread are saved.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../faults/process/scribe-process.ts';
import { openingProgress, REDIS_URL, startShardedWorld, welcomesByGuild, type ShardedWorld } from './sharded-world.ts';

let world: ShardedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('SCRIBE_SHARDS=2', { timeout: 180_000 }, () => {
  it('200 guilds over 2 shard processes: 200 threads, none twice, each welcome once, every /update saved', async () => {
    world = await startShardedWorld({ guilds: 200, shards: 2, storeUrl: REDIS_URL });
    const w = world;
    const manager = await w.startManager({ SCRIBE_SHARDS: '2' });
    await until(
      () => welcomesByGuild(w).every((g) => g.welcomes >= 1),
      () => openingProgress(w),
      120_000,
    );
    expect(welcomesByGuild(w).filter((g) => g.threads !== 1 || g.welcomes !== 1)).toEqual([]);

    // Each shard process logged its own lines, and each guild's meeting was opened by its shard.
    const opened = manager.logs().filter((l) => l['msg'] === 'meeting open');
    expect(new Set(opened.map((l) => l['shard']))).toEqual(new Set([0, 1]));

    const answers = await Promise.all(
      w.guilds.map(async (g) => {
        const thread = w.emu.threads(g.textChannelId)[0];
        if (thread === undefined) throw new Error('no thread');
        const ack = await w.emu.slash(g.members.alice, thread.id, 'update').waitForAck(10_000);
        return w.emu
          .submitModal(g.members.alice, thread.id, String(ack.data?.custom_id), { bullets: `* update in ${g.guildId}` })
          .waitForAnswer(undefined, 20_000);
      }),
    );
    expect(answers.filter((a) => !a.content.includes('Saved'))).toEqual([]);
    const store = await w.openStore();
    try {
      const stored = await Promise.all(
        w.guilds.map(async (g) => {
          const key = await store.meetings.byThread(w.emu.threads(g.textChannelId)[0]?.id ?? '');
          return key === undefined ? [] : (await store.updates.list(key)).map((u) => JSON.stringify(u.update));
        }),
      );
      expect(stored.filter((texts, i) => texts.length !== 1 || !texts[0]?.includes(w.guilds[i]?.guildId ?? '?'))).toEqual([]);
    } finally {
      await store.close();
    }
    expect(w.emu.violations()).toEqual([]);
  });
});
