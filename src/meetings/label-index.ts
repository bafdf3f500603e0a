/**
 * What the reply to an update needs in order to show the person's block exactly as the file will
 * (labels numbered across the whole file), without compiling and rendering the whole meeting on every
 * submission: each block's definition count and the keys it leaves undefined, in block order.
 */
import { renderBlock } from '../notes/render.ts';
import { skipLabels, undefinedKeys } from '../notes/references.ts';
import type { Block } from '../notes/types.ts';

interface Entry {
  readonly definitions: number;
  readonly undefinedKeys: ReadonlySet<string>;
}

export class LabelIndex {
  /** In block order: Map keeps insertion order, and a person's block keeps its place when replaced. */
  readonly #entries = new Map<string, Entry>();

  /** `blocks` in block order, as the store lists a meeting's updates. */
  constructor(blocks: Iterable<readonly [userId: string, block: Block]> = []) {
    for (const [userId, block] of blocks) this.set(userId, block);
  }

  set(userId: string, block: Block): void {
    this.#entries.set(userId, { definitions: block.references.length, undefinedKeys: undefinedKeys(block) });
  }

  delete(userId: string): void {
    this.#entries.delete(userId);
  }

  /** The person's block as the file shows it now (their block must have been `set`). */
  preview(userId: string, block: Block): string {
    const reserved = new Set<string>();
    for (const entry of this.#entries.values()) for (const key of entry.undefinedKeys) reserved.add(key);
    let next = 1;
    for (const [id, entry] of this.#entries) {
      if (id === userId) break;
      next = skipLabels(entry.definitions, next, reserved);
    }
    return renderBlock(block, { firstLabel: next, reserved });
  }
}
