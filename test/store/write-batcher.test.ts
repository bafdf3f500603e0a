import { describe, expect, it } from 'vitest';
import { deferred, type Deferred } from '../../src/deferred.ts';
import { type BatchEntry, WriteBatcher } from '../../src/store/write-batcher.ts';

/** A flush that records each batch (copied) and completes only when the test says so. */
function fakeFlush() {
  const calls: BatchEntry[][] = [];
  const pending: Deferred[] = [];
  const flush = (entries: readonly BatchEntry[]): Promise<void> => {
    calls.push([...entries]);
    const d = deferred();
    pending.push(d);
    return d.promise;
  };
  /** Completes flush call `i` (0-based). */
  const complete = (i: number, error?: Error): void => {
    const d = pending[i];
    if (!d) throw new Error(`no flush call #${i}`);
    if (error) d.reject(error);
    else d.resolve();
  };
  return { calls, flush, complete };
}

/** Lets every pending microtask (and the microtasks they queue) run. */
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Records when a promise settles, without leaving a rejection unhandled. */
function track(promise: Promise<void>, log: string[], label: string): { readonly settled: () => boolean } {
  let settled = false;
  promise.then(
    () => {
      settled = true;
      log.push(`${label}:ok`);
    },
    (error: unknown) => {
      settled = true;
      log.push(`${label}:${error instanceof Error ? error.message : String(error)}`);
    },
  );
  return { settled: () => settled };
}

const e = (key: string, value: unknown): BatchEntry => ({ key, value });

describe('WriteBatcher', () => {
  it('flushes a lone write on a microtask and resolves it only once the flush has resolved', async () => {
    const f = fakeFlush();
    const batcher = new WriteBatcher({ flush: f.flush, maxEntries: 10 });
    const log: string[] = [];
    const w = track(batcher.write('a', 1), log, 'a');
    expect(f.calls).toHaveLength(0);
    await tick();
    expect(f.calls).toEqual([[e('a', 1)]]);
    expect(w.settled()).toBe(false);
    f.complete(0);
    await tick();
    expect(log).toEqual(['a:ok']);
    expect(f.calls).toHaveLength(1);
  });

  it('puts writes made in the same synchronous turn into one batch', async () => {
    const f = fakeFlush();
    const batcher = new WriteBatcher({ flush: f.flush, maxEntries: 10 });
    const both = Promise.all([batcher.write('a', 1), batcher.write('b', 2)]);
    await tick();
    expect(f.calls).toEqual([[e('a', 1), e('b', 2)]]);
    f.complete(0);
    await both;
  });

  it('sends writes made during a flush together in the next flush, last value per key, after the first', async () => {
    const f = fakeFlush();
    const batcher = new WriteBatcher({ flush: f.flush, maxEntries: 10 });
    const log: string[] = [];
    track(batcher.write('a', 1), log, 'first');
    await tick();
    track(batcher.write('b', 1), log, 'b1');
    track(batcher.write('c', 1), log, 'c');
    track(batcher.write('b', 2), log, 'b2');
    await tick();
    // The next batch waits for the one in flight.
    expect(f.calls).toEqual([[e('a', 1)]]);
    f.complete(0);
    await tick();
    expect(log).toEqual(['first:ok']);
    expect(f.calls).toEqual([[e('a', 1)], [e('b', 2), e('c', 1)]]);
    f.complete(1);
    await tick();
    expect(log).toEqual(['first:ok', 'b1:ok', 'c:ok', 'b2:ok']);
    expect(f.calls).toHaveLength(2);
  });

  it('splits queued writes into batches of at most maxEntries, in write order, replacing a key within the full last batch', async () => {
    const f = fakeFlush();
    const batcher = new WriteBatcher({ flush: f.flush, maxEntries: 2 });
    const log: string[] = [];
    track(batcher.write('x', 0), log, 'x');
    await tick();
    for (const key of ['a', 'b', 'c', 'd', 'e']) track(batcher.write(key, key), log, key);
    track(batcher.write('f', 'f1'), log, 'f1'); // fills the last batch: [e, f]
    track(batcher.write('f', 'f2'), log, 'f2'); // already there: replaced, no new batch
    for (let i = 0; i < 4; i++) {
      f.complete(i);
      await tick();
    }
    expect(f.calls).toEqual([
      [e('x', 0)],
      [e('a', 'a'), e('b', 'b')],
      [e('c', 'c'), e('d', 'd')],
      [e('e', 'e'), e('f', 'f2')],
    ]);
    expect(log).toEqual(['x:ok', 'a:ok', 'b:ok', 'c:ok', 'd:ok', 'e:ok', 'f1:ok', 'f2:ok']);
  });

  it('fails the in-flight batch and every batch queued behind it, calling onFailure once first, then goes on', async () => {
    const f = fakeFlush();
    const log: string[] = [];
    const failures: unknown[] = [];
    const batcher = new WriteBatcher({
      flush: f.flush,
      maxEntries: 1,
      onFailure: (error) => {
        failures.push(error);
        log.push('onFailure');
      },
    });
    track(batcher.write('x', 0), log, 'x');
    await tick();
    track(batcher.write('a', 1), log, 'a'); // queued batch [a]
    track(batcher.write('b', 2), log, 'b'); // queued batch [b]
    const boom = new Error('boom');
    f.complete(0, boom);
    await tick();
    expect(log).toEqual(['onFailure', 'x:boom', 'a:boom', 'b:boom']);
    expect(failures).toEqual([boom]);
    expect(failures[0]).toBe(boom);
    // The queued batches were failed, not stored.
    expect(f.calls).toEqual([[e('x', 0)]]);

    const later = batcher.write('c', 3);
    await tick();
    expect(f.calls).toEqual([[e('x', 0)], [e('c', 3)]]);
    f.complete(1);
    await expect(later).resolves.toBeUndefined();
    expect(failures).toHaveLength(1);
  });

  it('has(key) is true while the key is queued or in flight, false once stored', async () => {
    const f = fakeFlush();
    const batcher = new WriteBatcher({ flush: f.flush, maxEntries: 1 });
    expect(batcher.has('a')).toBe(false);
    const a = batcher.write('a', 1);
    expect(batcher.has('a')).toBe(true); // queued
    await tick();
    const b = batcher.write('b', 2);
    expect(f.calls).toHaveLength(1);
    expect(batcher.has('a')).toBe(true); // in flight
    expect(batcher.has('b')).toBe(true); // queued behind it
    expect(batcher.has('c')).toBe(false);
    f.complete(0);
    await a;
    expect(batcher.has('a')).toBe(false);
    expect(batcher.has('b')).toBe(true);
    await tick();
    f.complete(1, new Error('nope'));
    await expect(b).rejects.toThrow('nope');
    expect(batcher.has('b')).toBe(false);
  });

  it('settled() resolves at once when idle, and otherwise after every write so far, failed ones included', async () => {
    const f = fakeFlush();
    const batcher = new WriteBatcher({ flush: f.flush, maxEntries: 1 });
    const idle = await Promise.race([batcher.settled().then(() => 'settled'), tick().then(() => 'pending')]);
    expect(idle).toBe('settled');

    const log: string[] = [];
    track(batcher.write('a', 1), log, 'a');
    await tick();
    track(batcher.write('b', 2), log, 'b'); // queued behind a
    const s = track(batcher.settled(), log, 'settled');
    f.complete(0);
    await tick();
    expect(s.settled()).toBe(false); // b is still in flight
    expect(f.calls).toHaveLength(2);
    f.complete(1, new Error('lost'));
    await tick();
    expect(log).toEqual(['a:ok', 'b:lost', 'settled:ok']);
  });

  it('refuses a maxEntries that is not a positive integer', () => {
    const flush = () => Promise.resolve();
    for (const maxEntries of [0, -1, 1.5, Number.NaN]) {
      expect(() => new WriteBatcher({ flush, maxEntries })).toThrow(RangeError);
    }
    expect(() => new WriteBatcher({ flush, maxEntries: 1 })).not.toThrow();
  });
});
