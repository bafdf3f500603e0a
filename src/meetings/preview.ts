/** A person's block exactly as the notes file shows it, for the answer to their update. Pure. */
import { renderBlock } from '../notes/render.ts';
import { renumberBlock, reservedKeys } from '../notes/references.ts';
import type { Block } from '../notes/types.ts';
import type { UpdateRecord } from './records.ts';

export function blockOf(record: UpdateRecord): Block {
  return { names: [record.name], bullets: record.update.bullets, references: record.update.references };
}

/** Block `index` of `blocks` as the file shows it: its labels come after those of the blocks above it. */
export function previewInFile(blocks: readonly Block[], index: number): string {
  const block = blocks[index];
  if (!block) throw new RangeError(`no block ${index}`);
  const reserved = reservedKeys(blocks);
  let next = 1;
  for (const above of blocks.slice(0, index)) next = renumberBlock(above, next, reserved).next;
  return renderBlock(block, { firstLabel: next, reserved });
}
