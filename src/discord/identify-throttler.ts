/**
 * IDENTIFYs of every shard process of the bot, on every machine, kept to Discord's max_concurrency per
 * 5 s (issue 21). discord.js's own throttler counts only the shards of its process; this one keeps the
 * last IDENTIFY of each rate-limit bucket (`shard_id % max_concurrency`) in the shared store and takes
 * the bucket with the store's compare-and-set, so that one process wins it per window.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { IIdentifyThrottler, WebSocketOptions } from 'discord.js';
import type { Clock } from '../clock.ts';
import type { AtomicRepository } from '../meetings/records.ts';

/** Discord's window for one IDENTIFY per bucket. */
export const IDENTIFY_WINDOW_MS = 5_000;
/** On top of the window: the IDENTIFY leaves a little after its turn, and machines' clocks differ a little. */
const MARGIN_MS = 500;
/** A store that does not answer is asked again after this long. */
const STORE_RETRY_MS = 1_000;

/** The last IDENTIFY of a bucket, as stored. */
interface Turn {
  readonly at: number;
  readonly shard: number;
}

/** @discordjs/ws's manager (discord.js exports its own class of that name). */
type GatewayManager = Parameters<NonNullable<WebSocketOptions['buildIdentifyThrottler']>>[0];

export interface ThrottleLog {
  warn(object: object, message: string): void;
}

export class SharedIdentifyThrottler implements IIdentifyThrottler {
  constructor(
    private readonly atomic: AtomicRepository,
    private readonly maxConcurrency: number,
    private readonly clock: Clock,
    private readonly log: ThrottleLog,
  ) {}

  async waitForIdentify(shardId: number, signal: AbortSignal): Promise<void> {
    const bucket = shardId % Math.max(1, this.maxConcurrency);
    const key = `identify:${bucket}`;
    // The turn last seen and when (by this process's clock): a machine whose clock runs ahead cannot hold a bucket past one window.
    let seen: { text: string; at: number } | undefined;
    for (;;) {
      signal.throwIfAborted();
      const now = this.clock.now().getTime();
      const mine: Turn = { at: now, shard: shardId };
      try {
        const last = await this.atomic.get<Turn>(key);
        if (last === undefined) {
          if (await this.atomic.create(key, mine)) return;
          continue;
        }
        const text = JSON.stringify(last);
        if (seen?.text !== text) seen = { text, at: now };
        const wait = Math.min(last.at, seen.at) + IDENTIFY_WINDOW_MS + MARGIN_MS - now;
        if (wait <= 0) {
          if (await this.atomic.replace(key, last, mine)) return;
          continue;
        }
        await sleep(wait, undefined, { signal });
      } catch (error) {
        if (signal.aborted) throw error;
        this.log.warn({ shard: shardId, bucket, err: error }, 'the store did not answer for the identify turn; asking again');
        await sleep(STORE_RETRY_MS, undefined, { signal });
      }
    }
  }
}

/**
 * discord.js's `ws.buildIdentifyThrottler`: max_concurrency from GET /gateway/bot (discord.js fetches and
 * caches it), the turns in the store. Real time, whatever clock the meetings run on: Discord's window is real.
 */
export function sharedIdentifyThrottler(atomic: AtomicRepository, clock: Clock, log: ThrottleLog): (manager: GatewayManager) => Promise<IIdentifyThrottler> {
  return async (manager) => {
    const info = await manager.fetchGatewayInformation();
    return new SharedIdentifyThrottler(atomic, info.session_start_limit.max_concurrency, clock, log);
  };
}
