import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LabelIndex } from '../../src/meetings/label-index.ts';
import { render } from '../../src/notes/render.ts';
import type { Block } from '../../src/notes/types.ts';

/** Blocks whose bullets use labels 1–4, some defined and some not, so numbering and reserved keys matter. */
const block = (name: string) =>
  fc
    .record({
      uses: fc.array(fc.array(fc.integer({ min: 1, max: 4 }), { maxLength: 3 }), { minLength: 1, maxLength: 3 }),
      defined: fc.subarray([1, 2, 3, 4]),
    })
    .map(
      ({ uses, defined }): Block => ({
        names: [name],
        bullets: uses.map((labels, i) => ({ text: `bullet ${i}${labels.map((l) => ` see[${l}]`).join('')}`, continuation: [] })),
        references: defined.map((label) => ({ label: String(label), url: `https://example.org/${name}/${label}` })),
      }),
    );

function notesOf(blocks: Block[]) {
  return { datetime: '2022-03-19T09:00:00+01:00', location: 'here', teams: ['t'], participants: blocks.map((b) => b.names[0] ?? ''), blocks };
}

describe('LabelIndex', () => {
  it('shows each block exactly as the rendered file does, across blocks, replacements and removals', () => {
    fc.assert(
      fc.property(fc.tuple(block('A'), block('B'), block('C'), block('D')), block('B'), ([a, b, c, d], newB) => {
        const index = new LabelIndex([['a', a], ['b', b], ['c', c]]);
        index.set('d', d);
        index.set('b', newB); // a replacement keeps its place
        index.delete('c');
        const blocks = [a, newB, d];
        const file = render(notesOf(blocks));
        const ids = ['a', 'b', 'd'];
        blocks.forEach((blk, i) => {
          const preview = index.preview(ids[i] ?? '', blk);
          const start = file.indexOf(`\n${blk.names[0]}\n`) + 1;
          expect(file.slice(start, start + preview.length)).toBe(preview);
        });
      }),
      { numRuns: 300 },
    );
  });
});
