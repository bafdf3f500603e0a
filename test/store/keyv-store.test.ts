import { Keyv } from 'keyv';
import { describe, expect, it } from 'vitest';
import { INDEX_PAGE_SIZE, KeyvStore } from '../../src/store/keyv-store.ts';
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
    expect(writes).toEqual(['update:m/2022-03-19:1', 'updates-index:m/2022-03-19:0', 'updates-index:m/2022-03-19']);
    failNext = true;
    await expect(store.updates.put(record('2', '2022-03-19T08:01:00.000Z'))).rejects.toThrow(/save update failed: disk full/);
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(['1']);
  });

  it("keeps the index in pages: a person's first update rewrites one short page, and the list keeps everyone in order", async () => {
    const keyv = new Keyv<unknown>({ namespace: 't', throwOnErrors: true });
    const writes: { key: string; ids: number }[] = [];
    const set = keyv.set.bind(keyv);
    keyv.set = (async (key: string, value: unknown) => {
      const ids = (value as { userIds?: unknown[] }).userIds?.length ?? 0;
      writes.push({ key, ids });
      return set(key, value);
    }) as typeof keyv.set;
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    const people = 3 * INDEX_PAGE_SIZE + 5;
    for (let i = 0; i < people; i += 1) await store.updates.put(record(String(1000 + i), `2022-03-19T08:00:${String(i % 60).padStart(2, '0')}.${String(i).padStart(3, '0')}Z`));
    // Every write of the index touched at most one page's worth of ids, and the count only grew with the pages.
    const pageWrites = writes.filter((w) => /^updates-index:m\/2022-03-19:\d+$/.test(w.key));
    expect(pageWrites).toHaveLength(people);
    expect(Math.max(...pageWrites.map((w) => w.ids))).toBe(INDEX_PAGE_SIZE);
    expect(writes.filter((w) => w.key === 'updates-index:m/2022-03-19')).toHaveLength(4);
    const listed = (await store.listUpdates('m/2022-03-19')).map((u) => u.userId);
    expect(listed).toHaveLength(people);
    expect(new Set(listed).size).toBe(people);
    // A second update by the same person writes no index at all; a removal rewrites one page.
    writes.length = 0;
    await store.updates.put(record('1070', '2022-03-19T08:00:10.070Z'));
    expect(writes.map((w) => w.key)).toEqual(['update:m/2022-03-19:1070']);
    expect(await store.updates.delete('m/2022-03-19', '1070')).toBe(true);
    expect(writes.slice(1).map((w) => w.key)).toEqual(['updates-index:m/2022-03-19:1']);
    expect(await store.listUpdates('m/2022-03-19')).toHaveLength(people - 1);
    // Another store (another process, after a restart) reads the same pages.
    expect(await new KeyvStore(keyv, { backend: 'memory://' }).listUpdates('m/2022-03-19')).toHaveLength(people - 1);
  });

  it('reads an index stored as one list, and turns it into pages on the next write', async () => {
    const keyv = new Keyv<unknown>({ namespace: 't' });
    const old = Array.from({ length: INDEX_PAGE_SIZE + 3 }, (_, i) => String(2000 + i));
    for (const [i, id] of old.entries()) await keyv.set(`update:m/2022-03-19:${id}`, record(id, `2022-03-19T08:00:00.${String(i).padStart(3, '0')}Z`));
    await keyv.set('updates-index:m/2022-03-19', { userIds: old });
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    expect((await store.listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual(old);
    await store.updates.put(record('3000', '2022-03-19T09:00:00.000Z'));
    expect(await keyv.get('updates-index:m/2022-03-19')).toEqual({ pages: 2 });
    expect((await keyv.get('updates-index:m/2022-03-19:1')) as { userIds: string[] }).toEqual({ userIds: [...old.slice(INDEX_PAGE_SIZE), '3000'] });
    expect((await new KeyvStore(keyv, { backend: 'memory://' }).listUpdates('m/2022-03-19')).map((u) => u.userId)).toEqual([...old, '3000']);
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
