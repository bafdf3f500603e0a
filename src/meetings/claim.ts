/**
 * A claimed step: what must happen once however many processes share the store (two shards that both
 * believe they own a guild) runs while holding a claim created with the store's atomic create-if-absent;
 * another process wanting the same claim waits, then reads what the holder left and does only what is
 * still to do. Within one process, steps already run in turn (queue.ts); the claim extends that across
 * processes.
 *
 * A meeting's record is written only by the holder of its claim (`meetingTurn`), each step reading the
 * record afresh once it holds it: that is how no process overwrites the record with an older copy.
 *
 * A claim left by a crashed process is recovered by its lease: the holder renews it every RENEW_MS, its
 * expiry read from the injectable clock. An expired claim is taken over by compare-and-set (one taker
 * wins), and the taker resumes the step as after a restart (each step finds what was posted but not
 * recorded), so a crash costs at most LEASE_MS of waiting, never a second post. A holder that stalled
 * past its lease finds out at its next `confirm()` and stops. The claim is removed when the step ends.
 */
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Clock } from '../clock.ts';
import type { MeetingContext, MeetingLog } from './context.ts';
import type { AtomicRepository, MeetingKey } from './records.ts';

export interface StoredClaim {
  /** A token of the one step that holds it. */
  readonly owner: string;
  readonly expiresAt: string;
}

/**
 * Who claims: a name that stays the same when the process restarts (its host and shards), and the
 * claims this incarnation holds. A claim under the same name that this incarnation does not hold was
 * left by an earlier one, dead since: it is taken over at once instead of after its lease.
 */
export class ClaimOwner {
  readonly held = new Set<string>();
  constructor(readonly name: string = randomUUID()) {}
}

/** What claiming needs: the store's atomic records, the clock, the log and who claims. */
export interface ClaimContext {
  readonly store: { readonly atomic: AtomicRepository };
  readonly clock: Clock;
  readonly log: MeetingLog;
  readonly claimOwner: ClaimOwner;
}

export const LEASE_MS = 15_000;
const RENEW_MS = 5_000;
/** How often a waiting process looks again, and for how long at most. */
const POLL_MS = 200;
const MAX_WAIT_POLLS = 300;

/** The claim every step that writes a meeting's record holds (opening, revisions, reminder, thread recovery, end). */
export const meetingClaim = (key: MeetingKey) => `meeting:${key}`;

/** The claim was taken over (this process stalled past its lease): it must stop writing. */
export class LostClaimError extends Error {
  override readonly name = 'LostClaimError';
}

/** A held claim: `confirm()` before each step that must happen once; `release()` at the end. */
export class Lease {
  readonly #ctx: ClaimContext;
  readonly #name: string;
  #claim: StoredClaim;
  #lost = false;
  #released = false;
  // Renewals in turn: two at once would compare against the same claim and one would seem lost.
  #renewal: Promise<void> = Promise.resolve();
  readonly #heartbeat: NodeJS.Timeout;

  constructor(ctx: ClaimContext, name: string, claim: StoredClaim) {
    this.#ctx = ctx;
    this.#name = name;
    this.#claim = claim;
    this.#heartbeat = setInterval(() => void this.confirm().catch(() => undefined), RENEW_MS);
    this.#heartbeat.unref();
    ctx.claimOwner.held.add(claim.owner);
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
    this.#ctx.claimOwner.held.delete(this.#claim.owner);
    if (this.#lost || this.#released) return;
    this.#released = true;
    // Left behind, it would only delay the next step on this claim until it expires.
    await this.#ctx.store.atomic.remove(this.#name, this.#claim).catch((error: unknown) => {
      this.#ctx.log.warn({ claim: this.#name, err: error }, 'could not release the claim; it expires by itself');
    });
  }

  async #renew(): Promise<void> {
    if (this.#lost) throw new LostClaimError(`the claim on ${this.#name} was taken over by another process`);
    if (this.#released) return;
    const next = leaseFor(this.#claim.owner, this.#ctx.clock.now());
    if (await this.#ctx.store.atomic.replace(this.#name, this.#claim, next)) {
      this.#claim = next;
      return;
    }
    this.#lost = true;
    clearInterval(this.#heartbeat);
    throw new LostClaimError(`the claim on ${this.#name} was taken over by another process`);
  }
}

function leaseFor(owner: string, now: Date): StoredClaim {
  return { owner, expiresAt: new Date(now.getTime() + LEASE_MS).toISOString() };
}

/**
 * Claims `name`, waiting while another process holds it: `lease` when this call holds it, `settled`
 * when `settled()` (asked while waiting) answered something, i.e. the holder did what was wanted.
 */
export async function claim<T>(
  ctx: ClaimContext,
  name: string,
  settled: () => Promise<T | undefined> = () => Promise.resolve(undefined),
): Promise<{ lease: Lease } | { settled: T }> {
  const owner = `${ctx.claimOwner.name}/${randomUUID()}`;
  for (let polls = 0; ;) {
    const mine = leaseFor(owner, ctx.clock.now());
    if (await ctx.store.atomic.create(name, mine)) return { lease: new Lease(ctx, name, mine) };
    const current = await ctx.store.atomic.get<StoredClaim>(name);
    if (current === undefined) continue; // released in between: claim again
    const leftByEarlierSelf = current.owner.startsWith(`${ctx.claimOwner.name}/`) && !ctx.claimOwner.held.has(current.owner);
    if (leftByEarlierSelf || Date.parse(current.expiresAt) <= ctx.clock.now().getTime()) {
      if (await ctx.store.atomic.replace(name, current, mine)) {
        ctx.log.warn({ claim: name, expiredAt: current.expiresAt, leftByEarlierSelf }, 'claim of a process that stopped taken over');
        return { lease: new Lease(ctx, name, mine) };
      }
      continue;
    }
    const done = await settled();
    if (done !== undefined) return { settled: done };
    if (++polls > MAX_WAIT_POLLS) throw new Error(`${name} is held by another process; it was not released within ${(POLL_MS * MAX_WAIT_POLLS) / 1000} s`);
    await sleep(POLL_MS);
  }
}

/** Runs `step` holding the claim `name`: the same step of another process runs before or after it, never during. */
export async function whileClaimed<T>(ctx: ClaimContext, name: string, step: (lease: Lease) => Promise<T>): Promise<T> {
  const held = await claim<never>(ctx, name);
  if (!('lease' in held)) throw new Error(`unreachable: ${name} settled without a check`);
  try {
    return await step(held.lease);
  } finally {
    await held.lease.release();
  }
}

/** A step that writes the meeting's record: in its turn in this process (queue.ts), holding its claim across processes. */
export function meetingTurn<T>(ctx: MeetingContext, key: MeetingKey, step: (lease: Lease) => Promise<T>): Promise<T> {
  return ctx.queue.run(key, () => whileClaimed(ctx, meetingClaim(key), step));
}
