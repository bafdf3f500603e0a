/**
 * A first-in first-out queue whose `shift` is O(1): an array with a moving head, compacted once it
 * has served COMPACT_AFTER items and at least half of it is served, so that a queue that never
 * empties (a steady stream) does not keep every item it has handed out.
 */
const COMPACT_AFTER = 1_024;

export class Fifo<T> {
  readonly #items: T[] = [];
  #head = 0;

  get size(): number {
    return this.#items.length - this.#head;
  }

  push(item: T): void {
    this.#items.push(item);
  }

  peek(): T | undefined {
    return this.#items[this.#head];
  }

  shift(): T | undefined {
    if (this.size === 0) return undefined;
    const item = this.#items[this.#head];
    this.#head += 1;
    if (this.#head === this.#items.length) {
      this.#items.length = 0;
      this.#head = 0;
    } else if (this.#head >= COMPACT_AFTER && this.#head * 2 >= this.#items.length) {
      this.#items.splice(0, this.#head);
      this.#head = 0;
    }
    return item;
  }
}
