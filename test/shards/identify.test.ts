// Two shard processes (in-process here: two discord.js clients) identifying at the same moment with max_concurrency 1.
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { envSchema, type Config } from '../../src/config.ts';
import { startBot, type RunningBot } from '../../src/discord/bot.ts';
import { createClient } from '../../src/discord/client.ts';
import { IDENTIFY_WINDOW_MS } from '../../src/discord/identify-throttler.ts';
import { createLogger } from '../../src/log.ts';
import type { Store } from '../../src/meetings/records.ts';
import { openStore } from '../../src/store/index.ts';
import { startEmulator, type Emulator } from '../emulator/index.ts';
import { REDIS_URL } from './sharded-world.ts';

let emu: Emulator;
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
});

async function startWorld(): Promise<void> {
  emu = await startEmulator({ heartbeatIntervalMs: 5_000, shards: 2, maxConcurrency: 1 });
  for (const index of [0, 1]) emu.seedGuild({ name: `Community ${index}`, shard: { index, count: 2 } });
  cleanups.push(() => emu.close());
}

const identifies = () => emu.gatewayLog().filter((e) => e.dir === 'in' && e.op === 2);
/** The shard an IDENTIFY names (its payload's `shard: [id, count]`). */
const shardOf = (d: unknown) => (typeof d === 'object' && d !== null && 'shard' in d && Array.isArray(d.shard) ? Number(d.shard[0]) : undefined);
const invalidSessions = () => emu.gatewayLog().filter((e) => e.dir === 'out' && e.op === 9);

describe('IDENTIFY across shard processes', () => {
  it('keeps to one per bucket per 5 s through the shared store: no op 9, the second identify a window after the first', async () => {
    await startWorld();
    const namespace = `identify${randomUUID().replaceAll('-', '')}`;
    const startShard = async (shard: number): Promise<RunningBot> => {
      const store: Store = await openStore(REDIS_URL, { namespace });
      cleanups.push(async () => {
        await store.clear();
        await store.close();
      });
      const env = envSchema.parse({ DISCORD_TOKEN: emu.token, DISCORD_API_URL: emu.restUrl, STORE_URL: REDIS_URL, SHARDS: String(shard), SHARD_COUNT: '2' });
      const config: Config = { env, configPath: 'test', series: [] };
      const bot = await startBot({ config, store, log: createLogger({ level: 'silent' }), waitGuildTimeoutMs: 200 });
      cleanups.push(() => bot.stop());
      return bot;
    };
    const bots = await Promise.all([startShard(0), startShard(1)]);

    expect(bots.map((b) => b.client.guilds.cache.size)).toEqual([1, 1]);
    expect(invalidSessions()).toEqual([]);
    const [first, second] = identifies();
    expect(
      identifies()
        .map((e) => shardOf(e.d))
        .sort(),
    ).toEqual([0, 1]);
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(IDENTIFY_WINDOW_MS);
  }, 60_000);

  it("without it, each process's own throttler lets both identify at once and the emulator answers op 9", async () => {
    await startWorld();
    const clients = [0, 1].map((id) => createClient({ apiUrl: emu.restUrl, shards: { ids: [id], count: 2 }, waitGuildTimeoutMs: 200 }));
    for (const client of clients) cleanups.push(() => client.destroy());
    // Each client's login ends once discord.js has identified again after the op 9 (a client is not destroyed mid-login).
    await Promise.all(clients.map((client) => client.login(emu.token)));
    const [first, second] = identifies();
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeLessThan(IDENTIFY_WINDOW_MS);
    expect(invalidSessions().length).toBeGreaterThan(0);
  }, 60_000);
});
