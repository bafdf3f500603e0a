import { describe, expect, it } from 'vitest';
import { KeyedQueue } from '../../src/meetings/queue.ts';

describe('KeyedQueue', () => {
  it('runs tasks of one key in call order and survives a failing task', async () => {
    const queue = new KeyedQueue();
    const order: string[] = [];
    const slow = (label: string, ms: number) => () => new Promise<string>((resolve) => setTimeout(() => (order.push(label), resolve(label)), ms));
    const a = queue.run('k', slow('a', 30));
    const b = queue.run('k', () => Promise.reject(new Error('b failed')));
    const c = queue.run('k', slow('c', 1));
    const other = queue.run('other', slow('other', 1));
    await expect(b).rejects.toThrow('b failed');
    expect(await Promise.all([a, c, other])).toEqual(['a', 'c', 'other']);
    expect(order).toEqual(['other', 'a', 'c']);
    await queue.drain();
    expect(queue.busyKeys).toBe(0);
  });
});
