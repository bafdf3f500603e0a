import { Keyv, type KeyvEntry } from 'keyv';
import { describe, expect, it } from 'vitest';
import { KeyvStore } from '../../src/store/keyv-store.ts';

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
    expect((await store.updates.list('m/2022-03-19')).map((u) => u.userId)).toEqual(['2']);
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

  it("stores a new person's record and the index naming it in one setMany; a later put of theirs only the record", async () => {
    const { keyv, calls } = recordingKeyv();
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    expect(calls).toEqual([['update:m/2022-03-19:1', 'updates-index:m/2022-03-19']]);
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    expect(calls.at(-1)).toEqual(['update:m/2022-03-19:1']);
  });

  it("several records in one write: each person's last, one index entry each", async () => {
    const { keyv, calls } = recordingKeyv();
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    const second = { ...record('2', '2022-03-19T08:01:00.000Z'), name: 'second' };
    await store.updates.putMany('m/2022-03-19', [record('2', '2022-03-19T08:01:00.000Z'), record('1', '2022-03-19T08:00:00.000Z'), second]);
    expect(calls.at(-1)).toEqual(['update:m/2022-03-19:2', 'update:m/2022-03-19:1', 'updates-index:m/2022-03-19']);
    expect((await store.updates.list('m/2022-03-19')).map((u) => [u.userId, u.name])).toEqual([
      ['1', 'u1'],
      ['2', 'second'],
    ]);
    await expect(store.updates.putMany('other/2022-03-19', [record('3', '2022-03-19T08:02:00.000Z')])).rejects.toThrow(/must belong/);
  });

  it('puts of one meeting made at once all land in its index', async () => {
    const { keyv } = recordingKeyv();
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    const ids = Array.from({ length: 50 }, (_, i) => String(i + 1));
    await Promise.all(ids.map((id, i) => store.updates.put(record(id, `2022-03-19T09:${String(i).padStart(2, '0')}:00.000Z`))));
    expect((await store.updates.list('m/2022-03-19')).map((u) => u.userId)).toEqual(ids);
  });

  it('a failed write rejects the put and leaves no index entry; the same put later lands', async () => {
    const { keyv, state } = recordingKeyv();
    const store = new KeyvStore(keyv, { backend: 'memory://' });
    await store.updates.put(record('1', '2022-03-19T08:00:00.000Z'));
    state.failNext = true;
    await expect(store.updates.put(record('2', '2022-03-19T08:01:00.000Z'))).rejects.toThrow(/save updates failed: disk full/);
    expect((await store.updates.list('m/2022-03-19')).map((u) => u.userId)).toEqual(['1']);
    await store.updates.put(record('2', '2022-03-19T08:01:00.000Z'));
    expect((await store.updates.list('m/2022-03-19')).map((u) => u.userId)).toEqual(['1', '2']);
  });

  it('a closed store refuses work', async () => {
    const store = new KeyvStore(new Keyv<unknown>(), { backend: 'memory://' });
    await store.close();
    await expect(store.meetings.get('x')).rejects.toThrow(/closed/);
  });
});
