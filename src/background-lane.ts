/**
 * Work that can wait a moment, run one piece per turn of the event loop (in its check phase, after
 * that turn's I/O). Scribe acknowledges an interaction from the I/O callback it arrives in; the work
 * behind earlier ones (checking, storing, answering) queues here instead of in front of it, so in a
 * burst of form submissions each is acknowledged as soon as it arrives and answered in turn.
 *
 * Why not just `setImmediate`: every immediate queued before a check phase runs in that phase, so a
 * batch of a hundred stored updates would still answer all hundred before the next I/O is read.
 */
const COMPACT_AFTER = 1_024;

export class BackgroundLane {
  readonly #waiting: (() => void)[] = [];
  #head = 0;
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
    return this.#waiting.length - this.#head;
  }

  #schedule(): void {
    if (this.#scheduled || this.waiting === 0) return;
    this.#scheduled = true;
    setImmediate(this.#runOne);
  }

  readonly #runOne = (): void => {
    this.#scheduled = false;
    const next = this.#waiting[this.#head];
    this.#head += 1;
    if (this.#head === this.#waiting.length) {
      this.#waiting.length = 0;
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#waiting.length) {
      // A lane that never empties (a steady stream) must not keep every caller it has served.
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
    next?.();
    // Queued from inside the check phase, so the next caller's turn comes after the next poll for I/O.
    this.#schedule();
  };
}
