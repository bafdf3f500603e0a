/**
 * One promise chain per key: tasks with the same key run one after another in call order, tasks with
 * different keys run freely. A meeting's writes go through its key, so two submissions at once are
 * applied in turn and none is lost. A failed task does not stop the ones queued after it.
 */
export class KeyedQueue {
  readonly #tails = new Map<string, Promise<unknown>>();

  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const result = previous.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // Forget the key once its last task has settled, so the map holds only busy keys.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }

  /** Resolves when every task queued so far, under any key, has settled (for shutdown). */
  async drain(): Promise<void> {
    while (this.#tails.size > 0) await Promise.all([...this.#tails.values()]);
  }

  get busyKeys(): number {
    return this.#tails.size;
  }
}
