/**
 * What the reply to an update needs in order to show the person's block exactly as the file will
 * (labels numbered across the whole file), without compiling and rendering the whole meeting on every
 * submission: each block's definition count and the keys it leaves undefined, in block order.
 *
 * A preview costs about the same in a meeting of 1,000 people as in one of 10: the keys left
 * undefined are counted as blocks come and go, and the definitions before a block are a prefix sum
 * (a Fenwick tree over the blocks' places), not a walk over every block before it.
 */
import { renderBlock } from '../notes/render.ts';
import { skipLabels, undefinedKeys } from '../notes/references.ts';
import type { Block } from '../notes/types.ts';

interface Entry {
  /** The block's place: blocks keep theirs when replaced, and a block given again after a removal goes last. */
  readonly place: number;
  readonly definitions: number;
  readonly undefinedKeys: ReadonlySet<string>;
}

export class LabelIndex {
  readonly #entries = new Map<string, Entry>();
  readonly #definitions = new PrefixSums();
  /** Keys some block uses without defining: no renumbered label may take them. */
  readonly #reserved = new Set<string>();
  readonly #reservedBy = new Map<string, number>();
  #places = 0;

  /** `blocks` in block order, as the store lists a meeting's updates. */
  constructor(blocks: Iterable<readonly [userId: string, block: Block]> = []) {
    for (const [userId, block] of blocks) this.set(userId, block);
  }

  set(userId: string, block: Block): void {
    const previous = this.#entries.get(userId);
    if (previous) this.#forget(previous);
    const entry: Entry = { place: previous?.place ?? this.#places++, definitions: block.references.length, undefinedKeys: undefinedKeys(block) };
    this.#entries.set(userId, entry);
    this.#definitions.add(entry.place, entry.definitions);
    for (const key of entry.undefinedKeys) {
      const count = this.#reservedBy.get(key) ?? 0;
      this.#reservedBy.set(key, count + 1);
      if (count === 0) this.#reserved.add(key);
    }
  }

  delete(userId: string): void {
    const entry = this.#entries.get(userId);
    if (!entry) return;
    this.#forget(entry);
    this.#entries.delete(userId);
  }

  /** The person's block as the file shows it now (their block must have been `set`). */
  preview(userId: string, block: Block): string {
    const place = this.#entries.get(userId)?.place ?? this.#places;
    const before = this.#definitions.before(place);
    // Labels are handed out in block order, skipping reserved keys: after `before` of them, the next
    // is the same however they were spread over the blocks.
    const next = this.#reserved.size === 0 ? before + 1 : skipLabels(before, 1, this.#reserved);
    return renderBlock(block, { firstLabel: next, reserved: this.#reserved });
  }

  #forget(entry: Entry): void {
    this.#definitions.add(entry.place, -entry.definitions);
    for (const key of entry.undefinedKeys) {
      const count = (this.#reservedBy.get(key) ?? 1) - 1;
      if (count > 0) {
        this.#reservedBy.set(key, count);
      } else {
        this.#reservedBy.delete(key);
        this.#reserved.delete(key);
      }
    }
  }
}

/** Sums of the values before a place, in O(log n); places are 0, 1, 2, … and the tree grows as needed. */
class PrefixSums {
  #values: number[] = [];
  #tree: number[] = [0];

  add(place: number, delta: number): void {
    while (place >= this.#values.length) this.#grow();
    this.#values[place] = (this.#values[place] ?? 0) + delta;
    for (let i = place + 1; i < this.#tree.length; i += i & -i) this.#tree[i] = (this.#tree[i] ?? 0) + delta;
  }

  /** The sum of the values at places 0 … place-1. */
  before(place: number): number {
    let sum = 0;
    for (let i = Math.min(place, this.#tree.length - 1); i > 0; i -= i & -i) sum += this.#tree[i] ?? 0;
    return sum;
  }

  #grow(): void {
    const size = Math.max(16, this.#values.length * 2);
    const values = [...this.#values, ...Array.from({ length: size - this.#values.length }, () => 0)];
    const tree = [0, ...values];
    for (let i = 1; i <= size; i++) {
      const parent = i + (i & -i);
      if (parent <= size) tree[parent] = (tree[parent] ?? 0) + (tree[i] ?? 0);
    }
    this.#values = values;
    this.#tree = tree;
  }
}
