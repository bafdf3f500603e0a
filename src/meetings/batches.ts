/**
 * Why this exists: applied one by one, each update of a meeting waits for the read and the durable
 * write of every update ahead of it, and 1,000 submitted within a second were "Saved" after 3 to 5 s.
 * Here the submissions that arrive while the meeting's turn is taken wait together and are applied
 * together in its next turn: one read and one write for all of them.
 */
import type { KeyedQueue } from './queue.ts';

/** One item's result: its value, or what went wrong with it alone. */
export type Outcome<R> = { readonly value: R } | { readonly error: unknown };

export class KeyedBatches<T, R> {
  readonly #queue: KeyedQueue;
  readonly #apply: (key: string, items: readonly T[]) => Promise<readonly Outcome<R>[]>;
  /** Per key, the batch still taking items: its turn has not started yet. */
  readonly #open = new Map<string, { readonly items: T[]; readonly outcomes: Promise<readonly Outcome<R>[]> }>();

  /** `apply` gets the items in arrival order and answers one outcome per item; if it throws, every item fails. */
  constructor(queue: KeyedQueue, apply: (key: string, items: readonly T[]) => Promise<readonly Outcome<R>[]>) {
    this.#queue = queue;
    this.#apply = apply;
  }

  async add(key: string, item: T): Promise<R> {
    let batch = this.#open.get(key);
    if (!batch) {
      const items: T[] = [];
      const outcomes = this.#queue.run(key, () => {
        this.#open.delete(key);
        return this.#apply(key, items);
      });
      batch = { items, outcomes };
      this.#open.set(key, batch);
    }
    const index = batch.items.push(item) - 1;
    const outcome = (await batch.outcomes)[index];
    if (outcome === undefined) throw new Error(`no outcome for item ${index} of the batch`);
    if ('error' in outcome) throw outcome.error;
    return outcome.value;
  }
}
