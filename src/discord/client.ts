import { Client, Events, GatewayIntentBits, Options, Partials, type WebSocketOptions } from 'discord.js';

/**
 * Scribe needs two intents: Guilds (channels, threads, roles, and the member list of GUILD_CREATE)
 * and GuildVoiceStates (who is in the meeting's voice channel). It reads no message content.
 */
export const INTENTS = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildVoiceStates] as const;

export interface ClientOptions {
  /** REST base, e.g. https://discord.com/api or an emulator's http://127.0.0.1:PORT/api. */
  apiUrl: string;
  /** How long to wait for every guild's GUILD_CREATE before "ready"; discord.js's default is 15 s. */
  waitGuildTimeoutMs?: number;
  /** This process's part of the bot's global 50 requests a second (Discord counts per bot, not per process). */
  globalRequestsPerSecond?: number;
  /** The shards this client runs (default: discord.js reads SHARDS and SHARD_COUNT, as the shard manager sets them). */
  shards?: { readonly ids: readonly number[]; readonly count: number };
  /** IDENTIFY pacing shared with other processes (identify-throttler.ts); default discord.js's, for this process alone. */
  buildIdentifyThrottler?: WebSocketOptions['buildIdentifyThrottler'];
}

export function createClient(options: ClientOptions): Client {
  const client = new Client({
    intents: [...INTENTS],
    partials: [Partials.GuildMember],
    rest: { api: options.apiUrl, ...(options.globalRequestsPerSecond === undefined ? {} : { globalRequestsPerSecond: options.globalRequestsPerSecond }) },
    // No message of Scribe's pings anyone unless it says so itself (the reminder names its users).
    allowedMentions: { parse: [], repliedUser: false },
    waitGuildTimeout: options.waitGuildTimeoutMs ?? 15_000,
    ...(options.shards === undefined ? {} : { shards: [...options.shards.ids], shardCount: options.shards.count }),
    ...(options.buildIdentifyThrottler === undefined ? {} : { ws: { buildIdentifyThrottler: options.buildIdentifyThrottler } }),
    // Scribe never reads a message from the cache (it finds its own with cache-less fetches), and every
    // "Saved" reply would otherwise be kept: 200 per thread.
    makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
  });
  return client;
}

/** Logs in and resolves once every guild has arrived ("ready"). */
export async function loginReady(client: Client, token: string): Promise<Client<true>> {
  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(token);
  return ready;
}
