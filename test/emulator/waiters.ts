/**
 * Promises for the first entry of a growing record (requests, gateway events, interaction events)
 * that matches, whether it is there already or arrives later. The owner calls `notify()` after each
 * addition.
 */
export class Waiters {
  readonly #waiters = new Set<() => void>();

  notify(): void {
    for (const w of [...this.#waiters]) w();
  }

  /** Resolves with `find()`'s first defined answer; rejects with `timeoutMessage` after `timeoutMs`. */
  first<T>(find: () => T | undefined, timeoutMs: number, timeoutMessage: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = (): boolean => {
        const hit = find();
        if (hit === undefined) return false;
        this.#waiters.delete(waiter);
        clearTimeout(timer);
        resolve(hit);
        return true;
      };
      const waiter = (): void => void check();
      const timer = setTimeout(() => {
        this.#waiters.delete(waiter);
        reject(new Error(timeoutMessage));
      }, timeoutMs);
      if (!check()) this.#waiters.add(waiter);
    });
  }
}
