/**
 * Group commit. A write made while a batch is being stored waits and goes with the others in the
 * next batch, so a burst of 1,000 updates costs a few dozen durable commits instead of 1,000 (each an
 * fsync on SQLite), and a lone write still goes at once. Every write resolves once the batch holding it
 * has been stored.
 *
 * A failed batch fails every batch queued behind it too: those writes were computed from what the
 * failed one held (an updates index that names a person whose record did not land), so storing them
 * could leave an update that nobody can find.
 */
import { deferred, type Deferred } from '../deferred.ts';

export interface BatchEntry {
  readonly key: string;
  readonly value: unknown;
}

export interface WriteBatcherOptions {
  /** Stores one batch, all of it or none of it. */
  readonly flush: (entries: readonly BatchEntry[]) => Promise<void>;
  /** Most entries in one batch (an SQL statement has a bounded number of parameters). */
  readonly maxEntries: number;
  /** Called before the failed writes are rejected, so caches built on them are gone by then. */
  readonly onFailure?: (error: unknown) => void;
}

interface Batch extends Deferred {
  /** The last value written for each key; one statement writes them all, so order inside does not matter. */
  readonly entries: Map<string, unknown>;
}

function newBatch(): Batch {
  const done = deferred();
  // A batch nobody awaits any more (its writers gone) must not become an unhandled rejection.
  done.promise.catch(() => undefined);
  return { ...done, entries: new Map() };
}

export class WriteBatcher {
  readonly #options: WriteBatcherOptions;
  /** Batches not yet started, oldest first; only the last one takes new writes. */
  readonly #queued: Batch[] = [];
  #inFlight: Batch | null = null;
  #scheduled = false;

  constructor(options: WriteBatcherOptions) {
    if (!Number.isInteger(options.maxEntries) || options.maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
    this.#options = options;
  }

  /** Resolves once `value` is stored under `key` (or a later write to the key is stored with it). */
  write(key: string, value: unknown): Promise<void> {
    let batch = this.#queued.at(-1);
    if (!batch || (batch.entries.size >= this.#options.maxEntries && !batch.entries.has(key))) {
      batch = newBatch();
      this.#queued.push(batch);
    }
    batch.entries.set(key, value);
    this.#schedule();
    return batch.promise;
  }

  /** Whether a write to `key` is queued or being stored: a read of it should wait for `settled()`. */
  has(key: string): boolean {
    return this.#inFlight?.entries.has(key) === true || this.#queued.some((b) => b.entries.has(key));
  }

  /** Resolves (never rejects) once every write made so far has been stored or has failed. */
  settled(): Promise<void> {
    const last = this.#queued.at(-1) ?? this.#inFlight;
    return last ? last.promise.then(
      () => undefined,
      () => undefined,
    ) : Promise.resolve();
  }

  #schedule(): void {
    if (this.#inFlight || this.#scheduled) return;
    this.#scheduled = true;
    // A microtask, so that writes made in the same turn (a record and the index naming it) go together.
    queueMicrotask(() => {
      this.#scheduled = false;
      void this.#next();
    });
  }

  async #next(): Promise<void> {
    const batch = this.#queued.shift();
    if (!batch) return;
    this.#inFlight = batch;
    try {
      await this.#options.flush([...batch.entries].map(([key, value]) => ({ key, value })));
      this.#inFlight = null;
      batch.resolve();
    } catch (error) {
      const failed = [batch, ...this.#queued.splice(0)];
      this.#inFlight = null;
      this.#options.onFailure?.(error);
      for (const b of failed) b.reject(error);
    }
    this.#schedule();
  }
}
