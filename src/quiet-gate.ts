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
 * regardless, so a stream that never pauses still gets its answers.
 *
 * Nothing is said to be saved before it is: a submission waiting here is acknowledged ("thinking")
 * and not yet stored, and "Saved" comes only after the store has it.
 */
import { Fifo } from './fifo.ts';

export interface QuietGateOptions {
  /** How long arrivals must pause before held work goes through. */
  readonly quietMs: number;
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
  readonly #maxWaitMs: number;
  readonly #now: () => number;
  readonly #held = new Fifo<Held>();
  #lastArrival = Number.NEGATIVE_INFINITY;
  #timer: NodeJS.Timeout | null = null;
  #immediate: NodeJS.Immediate | null = null;

  constructor(options: QuietGateOptions) {
    if (!(options.quietMs >= 0) || !(options.maxWaitMs >= options.quietMs)) throw new RangeError('need 0 ≤ quietMs ≤ maxWaitMs');
    this.#quietMs = options.quietMs;
    this.#maxWaitMs = options.maxWaitMs;
    this.#now = options.now ?? (() => performance.now());
  }

  /** An interaction arrived: held work waits for the next pause. */
  arrived(): void {
    this.#lastArrival = this.#now();
  }

  /** Resolves once arrivals have paused for `quietMs` (or after `maxWaitMs`), in the order of the calls. */
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

  #schedule(): void {
    if (this.#timer !== null || this.#immediate !== null) return;
    const head = this.#held.peek();
    if (!head) return;
    const now = this.#now();
    const at = Math.min(this.#lastArrival + this.#quietMs, head.since + this.#maxWaitMs);
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
    if (now - this.#lastArrival >= this.#quietMs || now - head.since >= this.#maxWaitMs) {
      this.#held.shift();
      head.release();
    }
    this.#schedule();
  };
}
