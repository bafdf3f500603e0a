// Discord snowflakes: 17–19 digit ids. @discordjs/rest's bucket regex expects ids of that length,
// and sharding derives the shard from the id's timestamp bits, so fake short ids would be wrong.

export const DISCORD_EPOCH = 1420070400000n;

/** Generates unique, increasing snowflakes from the wall clock (a single emulator is one "worker"). */
export class SnowflakeGenerator {
  #increment = 0n;
  #lastMs = 0n;

  next(atMs: number = Date.now()): string {
    let ms = BigInt(atMs);
    // Keep ids strictly increasing even if the clock stalls or goes back.
    if (ms < this.#lastMs) ms = this.#lastMs;
    if (ms === this.#lastMs) {
      this.#increment = (this.#increment + 1n) & 0xfffn;
      if (this.#increment === 0n) ms += 1n;
    } else {
      this.#increment = 0n;
    }
    this.#lastMs = ms;
    return (((ms - DISCORD_EPOCH) << 22n) | (1n << 17n) | this.#increment).toString();
  }

  /** A snowflake whose guild shard `(id >> 22) % shardCount` is `shard`: for seeding sharded tests. */
  nextForShard(shard: number, shardCount: number): string {
    for (let i = 0; i < shardCount * 4 + 8; i++) {
      const id = this.next();
      if (shardOf(id, shardCount) === shard) return id;
      // Advance the timestamp part by one millisecond so the next candidate lands on another shard.
      this.#lastMs += 1n;
    }
    throw new Error(`could not produce a snowflake for shard ${shard}/${shardCount}`);
  }
}

/** Discord's shard formula: `(guild_id >> 22) % shard_count`. */
export function shardOf(guildId: string, shardCount: number): number {
  return Number((BigInt(guildId) >> 22n) % BigInt(shardCount));
}

/** Creation time (ms since epoch) encoded in a snowflake. */
export function snowflakeTime(id: string): number {
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH);
}
