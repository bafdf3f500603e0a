/**
 * The claim on opening a meeting, so that of several processes sharing the store (two shards that both
 * believe they own a guild) exactly one creates the thread and posts the welcome. The claim is created
 * with the store's atomic create-if-absent; the others wait for the winner's meeting record.
 *
 * A claim left by a crashed process is recovered by its lease: the holder renews it every RENEW_MS
 * while it opens, its expiry read from the injectable clock. An expired claim is taken over by
 * compare-and-set (one taker wins), and the taker resumes the opening as after a restart (thread found
 * by name, welcome by its text), so a crash costs at most LEASE_MS of waiting, never a second thread.
 * The claim is removed when the opening ends, done or failed, so a retry claims it at once.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MeetingContext } from './context.ts';
import type { MeetingKey, MeetingRecord } from './records.ts';

export interface OpeningClaim {
  /** A token of the one opening attempt that holds it. */
  readonly owner: string;
  readonly expiresAt: string;
}

export const LEASE_MS = 15_000;
const RENEW_MS = 5_000;
/** How often a waiting process looks for the winner's record, and for how long at most. */
const POLL_MS = 200;
const MAX_WAIT_POLLS = 300;

const claimKey = (key: MeetingKey) => `open:${key}`;

/** The claim was taken over (this process stalled past its lease): it must stop writing. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError';
}

/** A held claim: `confirm()` before each step that must happen once; `release()` at the end. */
export class OpeningLease {
  readonly #ctx: MeetingContext;
  readonly #key: string;
  #claim: OpeningClaim;
  #lost = false;
  #released = false;
  // Renewals in turn: two at once would compare against the same claim and one would seem lost.
  #renewal: Promise<void> = Promise.resolve();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(ctx: MeetingContext, key: string, claim: OpeningClaim) {
    this.#ctx = ctx;
    this.#key = key;
    this.#claim = claim;
    this.#heartbeat = setInterval(() => void this.confirm().catch(() => undefined), RENEW_MS);
    this.#heartbeat.unref();
  }

  /** Renews the lease; throws LostClaimError when another process holds the claim now. */
  confirm(): Promise<void> {
    const run = this.#renewal.then(() => this.#renew());
    this.#renewal = run.catch(() => undefined);
    return run;
  }

  async release(): Promise<void> {
    clearInterval(this.#heartbeat);
    await this.#renewal;
    if (this.#lost || this.#released) return;
    this.#released = true;
    // Left behind, it would only delay the next opening of this key until it expires.
    await this.#ctx.store.atomic.remove(this.#key, this.#claim).catch((error: unknown) => {
      this.#ctx.log.warn({ claim: this.#key, err: error }, 'could not release the opening claim; it expires by itself');
    });
  }

  async #renew(): Promise<void> {
    if (this.#lost) throw new LostClaimError(`the claim on ${this.#key} was taken over by another process`);
    if (this.#released) return;
    const next = leaseFor(this.#claim.owner, this.#ctx.clock.now());
    if (await this.#ctx.store.atomic.replace(this.#key, this.#claim, next)) {
      this.#claim = next;
      return;
    }
    this.#lost = true;
    clearInterval(this.#heartbeat);
    throw new LostClaimError(`the claim on ${this.#key} was taken over by another process`);
  }
}

function leaseFor(owner: string, now: Date): OpeningClaim {
  return { owner, expiresAt: new Date(now.getTime() + LEASE_MS).toISOString() };
}

/**
 * Claims the opening of `key`: `lease` when this call holds it, `opened` when another process opened
 * the meeting while this one waited.
 */
export async function claimOpening(ctx: MeetingContext, key: MeetingKey): Promise<{ lease: OpeningLease } | { opened: MeetingRecord }> {
  const name = claimKey(key);
  const owner = randomUUID();
  for (let polls = 0; ;) {
    const mine = leaseFor(owner, ctx.clock.now());
    if (await ctx.store.atomic.create(name, mine)) return { lease: new OpeningLease(ctx, name, mine) };
    const current = await ctx.store.atomic.get<OpeningClaim>(name);
    if (current === undefined) continue; // released in between: claim again
    if (Date.parse(current.expiresAt) <= ctx.clock.now().getTime()) {
      if (await ctx.store.atomic.replace(name, current, mine)) {
        ctx.log.warn({ meeting: key, expiredAt: current.expiresAt }, 'opening claim of a process that stopped taken over');
        return { lease: new OpeningLease(ctx, name, mine) };
      }
      continue;
    }
    const meeting = await ctx.store.meetings.get(key);
    if (meeting && meeting.status !== 'opening') return { opened: meeting };
    if (++polls > MAX_WAIT_POLLS)
      throw new Error(`meeting ${key} is being opened by another process; it did not finish within ${(POLL_MS * MAX_WAIT_POLLS) / 1000} s`);
    await sleep(POLL_MS);
  }
}
