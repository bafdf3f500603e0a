import type { Clock } from '../../src/clock.ts';
import type { Timers } from '../../src/schedule/timers.ts';

/** Timers that fire only when a test says the clock has reached them. */
export class ManualTimers implements Timers {
  readonly #clock: Clock;
  #pending = new Map<object, { at: number; callback: () => void }>();

  constructor(clock: Clock) {
    this.#clock = clock;
  }

  set(callback: () => void, ms: number): unknown {
    const handle = {};
    this.#pending.set(handle, { at: this.#clock.now().getTime() + ms, callback });
    return handle;
  }

  clear(handle: unknown): void {
    if (typeof handle === 'object' && handle !== null) this.#pending.delete(handle);
  }

  /** Runs, in time order, every timer due at the clock's current time. */
  fireDue(): number {
    const now = this.#clock.now().getTime();
    const due = [...this.#pending.entries()].filter(([, t]) => t.at <= now).sort((a, b) => a[1].at - b[1].at);
    for (const [handle, timer] of due) {
      this.#pending.delete(handle);
      timer.callback();
    }
    return due.length;
  }
}
