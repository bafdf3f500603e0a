/**
 * Work that can wait a moment, run one piece per turn of the event loop (in its check phase, after
 * that turn's I/O). A stored batch of updates resumes all its writers at once; they queue here (the
 * service's `afterStored`) and go on one at a time, so an interaction arriving meanwhile is read and
 * acknowledged between two of them rather than after all of them.
 *
 * Why not just `setImmediate`: every immediate queued before a check phase runs in that phase, so a
 * batch of a hundred stored updates would still answer all hundred before the next I/O is read.
 */
import { Fifo } from './fifo.ts';

export class BackgroundLane {
  readonly #waiting = new Fifo<() => void>();
  #scheduled = false;

  /** Resolves in arrival order, one caller per turn of the event loop, each after that turn's I/O. */
  turn(): Promise<void> {
    return new Promise((resolve) => {
      this.#waiting.push(resolve);
      this.#schedule();
    });
  }

  /** Callers waiting for their turn. */
  get waiting(): number {
    return this.#waiting.size;
  }

  #schedule(): void {
    if (this.#scheduled || this.waiting === 0) return;
    this.#scheduled = true;
    setImmediate(this.#runOne);
  }

  readonly #runOne = (): void => {
    this.#scheduled = false;
    this.#waiting.shift()?.();
    // Queued from inside the check phase, so the next caller's turn comes after the next poll for I/O.
    this.#schedule();
  };
}
