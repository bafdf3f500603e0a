/**
 * Which shards this process runs, from what the shard manager put in its environment (SHARDS and
 * SHARD_COUNT, parsed with the rest of the env), and which guilds they own.
 */
import { ShardClientUtil } from 'discord.js';

/** Discord's global limit, per bot: every shard process takes an equal part of it. */
const GLOBAL_REQUESTS_PER_SECOND = 50;

export interface ProcessShards {
  readonly ids: readonly number[];
  readonly count: number;
  /** True when Discord sends this guild's events to one of this process's shards. */
  owns(guildId: string): boolean;
}

export function shardsOf(env: { readonly SHARDS?: readonly number[] | undefined; readonly SHARD_COUNT?: number | undefined }): ProcessShards {
  const count = env.SHARD_COUNT ?? 1;
  const ids = env.SHARDS ?? [0];
  // shardIdForGuildId shifts the id as a BigInt: `guild_id >> 22` on a JavaScript number would truncate.
  return { ids, count, owns: (guildId) => count === 1 || ids.includes(ShardClientUtil.shardIdForGuildId(guildId, count)) };
}

/**
 * A shard process's share of the global limit, never below one request a second. Half of an even
 * share: each process counts in one-second windows of its own, not aligned with Discord's, so a full
 * share from each could still add up to more than 50 in one of Discord's seconds (seen: 429s).
 */
export function shareOfGlobalLimit(shardCount: number): number {
  return Math.max(1, Math.floor(GLOBAL_REQUESTS_PER_SECOND / (2 * shardCount)));
}
