import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyvStore } from '../../src/store/keyv-store.ts';
import { KeyedQueue } from '../../src/store/queue.ts';

const record = (userId: string, firstGivenAt: string) => ({
  meetingKey: 'm/2022-03-19',
  userId,
  identity: { displayName: `u${userId}` },
  name: `u${userId}`,
  update: { bullets: [{ text: `from ${userId}`, continuation: [] }], references: [] },
  firstGivenAt,
  updatedAt: firstGivenAt,
  authorId: userId,
});

describe('KeyvStore write order', () => {
  it('a reader skips an index entry whose record is missing', async () => {
    const keyv = new Keyv<unknown>({ namespace: 't' });
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    await store.updates.put(record('2', '2022-03-19T08:01:00.000Z'));
    await keyv.delete('update:m/2022-03-19:1');
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(['2']);
  });

  it('writes the record before the index, and a failed record write leaves no index entry', async () => {
    const keyv = new Keyv<unknown>({ namespace: 't', throwOnErrors: true });
    const writes: string[] = [];
    const set = keyv.set.bind(keyv);
    let failNext = false;
    keyv.set = (async (key: string, value: unknown) => {
      writes.push(key);
      if (failNext) {
        failNext = false;
        throw new Error('disk full');
      }
      return set(key, value);
    }) as typeof keyv.set;
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    expect(writes).toEqual(['update:m/2022-03-19:1', 'updates-index:m/2022-03-19']);
    failNext = true;
    await expect(store.updates.put(record('2', '2022-03-19T08:01:00.000Z'))).rejects.toThrow(/save update failed: disk full/);
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(['1']);
  });

  it('a closed store refuses work', async () => {
    const store = new KeyvStore(new Keyv<unknown>(), { backend: 'memory://' });
    await store.close();
    await expect(store.meetings.get('x')).rejects.toThrow(/closed/);
  });
});

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
