/**
 * The shard manager's own behaviour: SCRIBE_SHARDS=auto asks DISCORD_API_URL's /gateway/bot, SIGTERM
 * stops every shard gracefully, and a shard that keeps dying is restarted later each time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { until } from '../faults/process/scribe-process.ts';
import { REDIS_URL, startShardedWorld, type ShardedWorld } from './sharded-world.ts';

let world: ShardedWorld | undefined;
afterEach(async () => {
  await world?.close();
  world = undefined;
});

describe('the shard manager', { timeout: 120_000 }, () => {
  it('SCRIBE_SHARDS=auto runs the count /gateway/bot recommends; SIGTERM stops each shard gracefully', async () => {
    world = await startShardedWorld({ guilds: 4, shards: 2, storeUrl: REDIS_URL });
    const manager = await world.startManager({ SCRIBE_SHARDS: 'auto' });
    expect(manager.logs().find((l) => l['msg'] === 'starting shard processes')).toMatchObject({ shard: 'manager', total: 2, shards: [0, 1] });
    const asked = world.emu.requests().filter((r) => r.method === 'GET' && r.path === '/gateway/bot');
    expect(asked.length).toBeGreaterThanOrEqual(1);
    expect(
      manager
        .logs()
        .filter((l) => l['msg'] === 'shard ready')
        .map((l) => l['shard']),
    ).toEqual([0, 1]);

    expect(await manager.kill('SIGTERM')).toEqual({ code: 0, signal: null });
    // Each shard process ran its own graceful stop (schedule, interactions, store) before exiting.
    expect(
      new Set(
        manager
          .logs()
          .filter((l) => l['msg'] === 'stopped')
          .map((l) => l['shard']),
      ),
    ).toEqual(new Set([0, 1, 'manager']));
    expect(manager.logs().filter((l) => l['msg'] === 'shard process died; restarting it')).toEqual([]);
  });

  it('a shard that keeps dying at start is restarted after 1 s, then 2 s, then 4 s', async () => {
    // A store nobody answers on: each shard process gives up at start and exits.
    world = await startShardedWorld({ guilds: 2, shards: 2, storeUrl: 'redis://127.0.0.1:1' });
    const manager = await world.startManager({ SCRIBE_SHARDS: '2' });
    const restarts = () => manager.logs().filter((l) => l['msg'] === 'shard process died; restarting it' && l['shard'] === 0);
    await until(() => restarts().length >= 3, 'three restarts of shard 0', 60_000);
    expect(
      restarts()
        .slice(0, 3)
        .map((l) => l['restartInMs']),
    ).toEqual([1_000, 2_000, 4_000]);
    expect(await manager.kill('SIGTERM')).toEqual({ code: 0, signal: null });
  });
});
