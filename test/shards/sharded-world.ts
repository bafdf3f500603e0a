/**
 * Scribe sharded as people run it: `scribe start` with SCRIBE_SHARDS (a ShardingManager and one process
 * per shard) against an emulator serving many guilds over several shards, on a shared Redis or
 * PostgreSQL store. Each guild has one series that opens every minute, so every meeting window is open
 * whenever a shard starts.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REST, Routes } from 'discord.js';
import { stringify } from 'yaml';
import { loadCommands } from '../../src/discord/load-commands.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/meetings/records.ts';
import { startEmulator, type Emulator, type SeededGuild } from '../emulator/index.ts';
import { middayZone, ScribeProcess } from '../faults/process/scribe-process.ts';

export const REDIS_URL = 'redis://127.0.0.1:6379';
export const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';

export interface ShardedWorld {
  readonly emu: Emulator;
  readonly guilds: readonly SeededGuild[];
  readonly storeUrl: string;
  readonly namespace: string;
  /** Every manager process started, oldest first. */
  readonly managers: ScribeProcess[];
  /** Starts `scribe start` with the given sharding variables; resolves once the manager logged "ready". */
  startManager(env: Record<string, string>): Promise<ScribeProcess>;
  /** A store on the same namespace, for reading what the bots wrote. */
  openStore(): Promise<Store>;
  close(): Promise<void>;
}

export async function startShardedWorld(options: { guilds: number; shards: number; storeUrl: string }): Promise<ShardedWorld> {
  const emu = await startEmulator({ heartbeatIntervalMs: 2_000, shards: options.shards });
  const guilds = Array.from({ length: options.guilds }, (_, i) =>
    emu.seedGuild({ name: `Community ${i}`, shard: { index: i % options.shards, count: options.shards } }),
  );
  const dir = mkdtempSync(join(tmpdir(), 'scribe-shards-'));
  const namespace = `scribetest${randomUUID().replaceAll('-', '')}`;
  const configPath = join(dir, 'scribe.yaml');
  const timeZone = middayZone();
  writeFileSync(
    configPath,
    stringify({
      series: guilds.map((g, i) => ({
        id: `community-${i}`,
        guild: g.guildId,
        voiceChannel: g.voiceChannelId,
        textChannel: g.textChannelId,
        timeZone,
        open: '* * * * *',
        durationMinutes: 120,
        threadName: 'Meeting {yyyy}-{mm}-{dd}',
        teams: ['community'],
        location: 'Online, Discord, the `#{voiceChannelName}` voice channel',
        maintainerRoles: [g.maintainerRoleId],
        notesPath: 'meetings/{yyyy}-{mm}-{dd}.md',
      })),
    }),
  );
  // Below Discord's global 50 a second, which the emulator enforces (a 429 is a recorded violation).
  const rest = new REST({ api: emu.restUrl, globalRequestsPerSecond: 40 }).setToken(emu.token);
  const commands = (await loadCommands()).map((m) => m.data);
  for (const g of guilds) await rest.put(Routes.applicationGuildCommands(emu.applicationId, g.guildId), { body: commands });

  const managers: ScribeProcess[] = [];
  return {
    emu,
    guilds,
    storeUrl: options.storeUrl,
    namespace,
    managers,
    async startManager(env) {
      const manager = new ScribeProcess(
        {
          DISCORD_TOKEN: emu.token,
          DISCORD_API_URL: emu.restUrl,
          STORE_URL: options.storeUrl,
          STORE_NAMESPACE: namespace,
          SCRIBE_CONFIG: configPath,
          LOG_LEVEL: 'info',
          ...env,
        },
        dir,
      );
      managers.push(manager);
      // Its "ready" is the first shard's; the manager's own comes once every shard was started.
      manager.ready.catch(() => undefined);
      await manager.waitForLog((line) => line['shard'] === 'manager' && line['msg'] === 'ready', 90_000);
      return manager;
    },
    openStore: () => openStore(options.storeUrl, { namespace }),
    async close() {
      await Promise.all(managers.map((m) => m.kill('SIGTERM')));
      // A world whose store is unreachable on purpose has nothing to clear.
      await openStore(options.storeUrl, { namespace, operationTimeoutMs: 1_000 }).then(
        async (store) => {
          await store.clear();
          await store.close();
        },
        () => undefined,
      );
      await emu.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The bot's welcome messages in each guild's meeting threads, by guild. */
export function welcomesByGuild(world: ShardedWorld): { guildId: string; threads: number; welcomes: number }[] {
  return world.guilds.map((g) => {
    const threads = world.emu.threads(g.textChannelId);
    const welcomes = threads.flatMap((t) => world.emu.messages(t.id)).filter((m) => m.authorId === g.botUserId && m.content.startsWith('Welcome!'));
    return { guildId: g.guildId, threads: threads.length, welcomes: welcomes.length };
  });
}

/** For a failed wait: how many of the guilds' meetings have their welcome. */
export function openingProgress(world: ShardedWorld): string {
  return `every meeting opened (${welcomesByGuild(world).filter((g) => g.welcomes >= 1).length} of ${world.guilds.length})`;
}

/** A member gives an update in their guild's meeting thread; resolves with the answer's text, or the failure. */
export async function giveUpdate(world: ShardedWorld, guild: SeededGuild, userId: string, text: string): Promise<string> {
  const thread = world.emu.threads(guild.textChannelId)[0];
  if (thread === undefined) return 'no thread';
  try {
    const ack = await world.emu.slash(userId, thread.id, 'update').waitForAck(8_000);
    if (ack.type !== 9) return `no form: ${JSON.stringify(ack.data)}`;
    if (!ack.accepted) return `form refused by Discord: ${String(ack.errorCode)} after ${ack.latencyMs.toFixed(0)} ms`;
    const answer = await world.emu.submitModal(userId, thread.id, String(ack.data?.custom_id), { bullets: text }).waitForAnswer(undefined, 8_000);
    return answer.content;
  } catch (error) {
    return `failed: ${error instanceof Error ? error.message : String(error)}`;
  }
}

/** The notes files posted in a guild's meeting threads. */
export function notesFiles(world: ShardedWorld, guild: SeededGuild): string[] {
  return world.emu
    .threads(guild.textChannelId)
    .flatMap((t) => world.emu.messages(t.id))
    .flatMap((m) => m.attachments)
    .filter((a) => a.filename.endsWith('.md'))
    .map((a) => a.text());
}
