import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Fifo } from '../src/fifo.ts';

describe('Fifo', () => {
  it('hands items out in the order they came, across compactions, as a plain array would', () => {
    // Runs of pushes and shifts long enough to pass the compaction threshold many times.
    const op = fc.oneof(fc.record({ push: fc.integer({ min: 1, max: 3_000 }) }), fc.record({ shift: fc.integer({ min: 1, max: 3_000 }) }));
    fc.assert(
      fc.property(fc.array(op, { maxLength: 30 }), (ops) => {
        const fifo = new Fifo<number>();
        const model: number[] = [];
        let next = 0;
        for (const o of ops) {
          if ('push' in o) {
            for (let i = 0; i < o.push; i += 1) {
              fifo.push(next);
              model.push(next);
              next += 1;
            }
          } else {
            for (let i = 0; i < o.shift; i += 1) expect(fifo.shift()).toBe(model.shift());
          }
          expect(fifo.size).toBe(model.length);
          expect(fifo.peek()).toBe(model[0]);
        }
      }),
      { numRuns: 60 },
    );
  });
});
