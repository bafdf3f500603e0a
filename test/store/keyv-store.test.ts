import { Keyv, type KeyvEntry } from 'keyv';
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

  /** A keyv whose setMany records the keys the store passes (keyv prefixes its namespace inside) and can fail once. */
  function recordingKeyv() {
    const keyv = new Keyv<unknown>({ namespace: 't', throwOnErrors: true });
    const calls: string[][] = [];
    const state = { failNext: false };
    const setMany = keyv.setMany.bind(keyv);
    keyv.setMany = (async (entries: KeyvEntry[]) => {
      calls.push(entries.map((entry) => entry.key));
      if (state.failNext) {
        state.failNext = false;
        throw new Error('disk full');
      }
      // Like a real backend (SQLite answers from its thread pool), answer on a later turn of the event
      // loop; the in-memory Map answers within microtasks, too fast for writes to pile up behind it.
      await new Promise<void>((resolve) => setImmediate(resolve));
      return setMany(entries);
    }) as typeof keyv.setMany;
    return { keyv, calls, state };
  }

  it('stores a record and the index naming it in one setMany, and a burst of puts in few', async () => {
    const { keyv, calls } = recordingKeyv();
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    expect(calls).toEqual([['update:m/2022-03-19:1', 'updates-index:m/2022-03-19']]);

    calls.length = 0;
    const ids = Array.from({ length: 50 }, (_, i) => String(i + 2));
    await Promise.all(ids.map((id, i) => store.updates.put(record(id, `2022-03-19T09:${String(i).padStart(2, '0')}:00.000Z`))));
    expect(calls.length).toBeGreaterThan(0);
    expect(calls.length).toBeLessThan(10);
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(['1', ...ids]);
  });

  it('a failed batch rejects the put, leaves no index entry, and drops the cached index', async () => {
    const { keyv, state } = recordingKeyv();
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    state.failNext = true;
    await expect(store.updates.put(record('2', '2022-03-19T08:01:00.000Z'))).rejects.toThrow(/save updates failed: disk full/);
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(['1']);
    // Were the index cached with '2' in it, this put would not write the index and '2' would stay unlisted.
    await store.updates.put(record('2', '2022-03-19T08:01:00.000Z'));
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(['1', '2']);
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
