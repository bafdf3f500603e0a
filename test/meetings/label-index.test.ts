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
      fc.property(fc.tuple(block('A'), block('B'), block('C'), block('D'), block('E')), block('B'), block('C'), ([a, b, c, d, e], newB, newC) => {
        const index = new LabelIndex([['a', a], ['b', b], ['c', c]]);
        index.set('d', d);
        index.set('b', newB); // a replacement keeps its place
        index.delete('c');
        index.set('e', e);
        index.set('c', newC); // given again after a removal: last
        const blocks = [a, newB, d, e, newC];
        const file = render(notesOf(blocks));
        const ids = ['a', 'b', 'd', 'e', 'c'];
        blocks.forEach((blk, i) => {
          const preview = index.preview(ids[i] ?? '', blk);
          const start = file.indexOf(`\n${blk.names[0]}\n`) + 1;
          expect(file.slice(start, start + preview.length)).toBe(preview);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps numbering right past the places of its first tree (more than 16 blocks, some removed)', () => {
    const blocks = Array.from({ length: 40 }, (_, i): Block => ({
      names: [`P${i}`],
      bullets: [{ text: `work of ${i} [1]${i % 7 === 0 ? ' and [9]' : ''}`, continuation: [] }],
      references: i % 3 === 0 ? [] : [{ label: '1', url: `https://example.org/${i}` }],
    }));
    const index = new LabelIndex(blocks.map((b, i) => [String(i), b] as const));
    for (const gone of [2, 5, 17, 33]) index.delete(String(gone));
    const kept = blocks.filter((_, i) => ![2, 5, 17, 33].includes(i));
    const file = render(notesOf(kept));
    for (const blk of kept) {
      const preview = index.preview(blk.names[0]?.slice(1) ?? '', blk);
      const start = file.indexOf(`\n${blk.names[0]}\n`) + 1;
      expect(file.slice(start, start + preview.length)).toBe(preview);
    }
  });
});
