/**
 * Two managers as two machines run them (SCRIBE_SHARD_LIST=0 and =1 of SCRIBE_SHARDS=2) on one
 * PostgreSQL: every meeting opened once; then both stopped and one manager of both shards started on
 * the same store: nothing opened twice.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../faults/process/scribe-process.ts';
import { giveUpdate, openingProgress, POSTGRES_URL, startShardedWorld, welcomesByGuild, type ShardedWorld } from './sharded-world.ts';

let world: ShardedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('two machines, one bot', { timeout: 180_000 }, () => {
  it('shard 0 on one, shard 1 on the other, then both on one: one thread and one welcome per meeting', async () => {
    world = await startShardedWorld({ guilds: 40, shards: 2, storeUrl: POSTGRES_URL });
    const w = world;
    const [machineA, machineB] = await Promise.all([
      w.startManager({ SCRIBE_SHARDS: '2', SCRIBE_SHARD_LIST: '0' }),
      w.startManager({ SCRIBE_SHARDS: '2', SCRIBE_SHARD_LIST: '1' }),
    ]);
    await until(
      () => welcomesByGuild(w).every((g) => g.welcomes >= 1),
      () => openingProgress(w),
      60_000,
    );
    // Each machine opened only its own shard's meetings.
    expect(
      new Set(
        machineA
          .logs()
          .filter((l) => l['msg'] === 'meeting open')
          .map((l) => l['shard']),
      ),
    ).toEqual(new Set([0]));
    expect(
      new Set(
        machineB
          .logs()
          .filter((l) => l['msg'] === 'meeting open')
          .map((l) => l['shard']),
      ),
    ).toEqual(new Set([1]));
    const answers = await Promise.all(w.guilds.map((g) => giveUpdate(w, g, g.members.alice, `* alice in ${g.guildId}`)));
    expect(answers.filter((a) => !a.includes('Saved'))).toEqual([]);

    expect((await machineA.kill('SIGTERM')).code).toBe(0);
    expect((await machineB.kill('SIGTERM')).code).toBe(0);
    const both = await w.startManager({ SCRIBE_SHARDS: '2' });
    await both.waitForLog((l) => l['msg'] === 'ready' && l['shard'] === 1, 30_000);
    const again = await Promise.all(w.guilds.map((g) => giveUpdate(w, g, g.members.bob, `* bob in ${g.guildId}`)));
    expect(again.filter((a) => !a.includes('Saved'))).toEqual([]);
    expect(welcomesByGuild(w).filter((g) => g.threads !== 1 || g.welcomes !== 1)).toEqual([]);
    expect(both.logs().filter((l) => l['msg'] === 'meeting open')).toEqual([]);
    expect(w.emu.violations()).toEqual([]);
  });
});
