import { describe, expect, it } from 'vitest';
import { KeyedBatches } from '../../src/meetings/batches.ts';
import { KeyedQueue } from '../../src/meetings/queue.ts';

describe('KeyedBatches', () => {
  it('applies what arrives while a turn is taken together in the next turn, in arrival order', async () => {
    const queue = new KeyedQueue();
    const applied: string[][] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const batches = new KeyedBatches<string, string>(queue, async (_key, items) => {
      applied.push([...items]);
      return items.map((item) => ({ value: item.toUpperCase() }));
    });
    // The meeting's turn is taken by other work; three items arrive meanwhile, one for another key.
    const busy = queue.run('m', () => held);
    const results = [batches.add('m', 'a'), batches.add('m', 'b'), batches.add('other', 'x'), batches.add('m', 'c')];
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(applied).toEqual([['x']]);
    release();
    await busy;
    expect(await Promise.all(results)).toEqual(['A', 'B', 'X', 'C']);
    expect(applied).toEqual([['x'], ['a', 'b', 'c']]);
    // Once a turn has started, a new arrival waits for the next one.
    expect(await batches.add('m', 'd')).toBe('D');
    expect(applied.at(-1)).toEqual(['d']);
  });

  it('fails one item alone when its outcome is an error, and every item when the turn throws', async () => {
    const queue = new KeyedQueue();
    let broken = false;
    const batches = new KeyedBatches<number, number>(queue, async (_key, items) => {
      if (broken) throw new Error('store down');
      return items.map((n) => (n < 0 ? { error: new RangeError(`negative: ${n}`) } : { value: n * 2 }));
    });
    const [good, bad] = await Promise.allSettled([batches.add('m', 1), batches.add('m', -1)]);
    expect(good).toEqual({ status: 'fulfilled', value: 2 });
    expect(bad).toMatchObject({ status: 'rejected', reason: new RangeError('negative: -1') });
    broken = true;
    const all = await Promise.allSettled([batches.add('m', 2), batches.add('m', 3)]);
    expect(all.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
