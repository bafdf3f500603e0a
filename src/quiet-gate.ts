/**
 * Holds work that may wait until interactions stop arriving: the work behind a deferred form
 * submission (checking, storing, the preview) and then the "Saved" edit that answers it. Discord
 * allows 3 s for an acknowledgement and 15 minutes for the edit that follows it. In a burst of form
 * submissions, any of that work done while submissions still arrive competes with their
 * acknowledgements for the main thread (a small machine has no spare core) and adds garbage, so
 * collection pauses, to the moments they arrive in (the README's Performance section has the
 * figures with and without holding the work).
 * The gate lets held work through once no interaction has arrived for `quietMs`, one caller per turn
 * of the event loop (after that turn's I/O), oldest first; a caller held `maxWaitMs` goes through
 * regardless, so a stream that never pauses still gets its answers. While `backlog` callers or more
 * are held, the pause must last `backlogQuietMs` instead: that many pile up only while submissions
 * come faster than one per `quietMs`, in a burst, and a burst's arrivals themselves stop for a few
 * milliseconds now and then (at 1,000 a second, gaps of 5–6 ms one to three times a burst), so a short
 * pause there is not its end. One person at a time holds one or two callers and keeps the short pause.
 * The price: once a backlog is held, arrivals that keep coming without a pause of `backlogQuietMs`
 * (50 or more a second) keep it held, and each caller goes through only at `maxWaitMs`, where the
 * short pause would have let some through between arrivals. Acknowledgements have 3 s and "Saved" has
 * 15 minutes, so under such load the gate favours the acknowledgements.
 *
 * Nothing is said to be saved before it is: a submission waiting here is acknowledged ("thinking")
 * and not yet stored, and "Saved" comes only after the store has it.
 */
import { Fifo } from './fifo.ts';

export interface QuietGateOptions {
  /** How long arrivals must pause before held work goes through. */
  readonly quietMs: number;
  /** How long they must pause while `backlog` or more callers are held (quietMs by default). */
  readonly backlogQuietMs?: number;
  /** How many held callers make a backlog (1 by default: any). */
  readonly backlog?: number;
  /** The longest any caller is held. */
  readonly maxWaitMs: number;
  /** A monotonic clock in milliseconds (performance.now by default). */
  readonly now?: () => number;
}

interface Held {
  readonly since: number;
  readonly release: () => void;
}

export class QuietGate {
  readonly #quietMs: number;
  readonly #backlogQuietMs: number;
  readonly #backlog: number;
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #held = new Fifo<Held>();
  #lastArrival = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;

  constructor(options: QuietGateOptions) {
    const backlogQuietMs = options.backlogQuietMs ?? options.quietMs;
    if (!(options.quietMs >= 0) || !(backlogQuietMs >= 0) || !(options.maxWaitMs >= Math.max(options.quietMs, backlogQuietMs))) {
      throw new RangeError('need 0 ≤ quietMs, backlogQuietMs ≤ maxWaitMs');
    }
    if (options.backlog !== undefined && !(Number.isInteger(options.backlog) && options.backlog >= 1)) throw new RangeError('need backlog ≥ 1');
    this.#quietMs = options.quietMs;
    this.#backlogQuietMs = backlogQuietMs;
    this.#backlog = options.backlog ?? 1;
    this.#maxWaitMs = options.maxWaitMs;
    this.#now = options.now ?? (() => performance.now());
  }

  /** An interaction arrived: held work waits for the next pause. */
  arrived(): void {
    this.#lastArrival = this.#now();
  }

  /** Resolves once arrivals have paused for `quietMs` (`backlogQuietMs` with a backlog held) or after `maxWaitMs`, in the order of the calls. */
  pass(): Promise<void> {
    return new Promise((release) => {
      this.#held.push({ since: this.#now(), release });
      this.#schedule();
    });
  }

  /** Callers held now. */
  get holding(): number {
    return this.#held.size;
  }

  /** The pause the held callers wait for now. */
  #quiet(): number {
    return this.#held.size >= this.#backlog ? this.#backlogQuietMs : this.#quietMs;
  }

  #schedule(): void {
    if (this.#timer !== null || this.#immediate !== null) return;
    const head = this.#held.peek();
    if (!head) return;
    const now = this.#now();
    const at = Math.min(this.#lastArrival + this.#quiet(), head.since + this.#maxWaitMs);
    if (at <= now) {
      // One caller per turn, after that turn's I/O: an arrival meanwhile closes the gate again.
      this.#immediate = setImmediate(this.#releaseOne);
    } else {
      this.#timer = setTimeout(this.#wake, Math.ceil(at - now));
    }
  }

  readonly #wake = (): void => {
    this.#timer = null;
    this.#schedule();
  };

  readonly #releaseOne = (): void => {
    this.#immediate = null;
    const head = this.#held.peek();
    if (!head) return;
    const now = this.#now();
    if (now - this.#lastArrival >= this.#quiet() || now - head.since >= this.#maxWaitMs) {
      this.#held.shift();
      head.release();
    }
    this.#schedule();
  };
}
