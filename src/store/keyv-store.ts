/**
 * The repositories over one keyv instance. keyv offers no portable "keys with this prefix" (iterators
 * differ by adapter and some have none), so every list Scribe needs is an index record of its own:
 * a meeting's updates are found through `updates-index:<meeting>`, which holds the user ids.
 *
 * Crash safety: update records and the index naming them are stored in one `setMany` (one statement or
 * transaction). The index forgets a user before the record is deleted; a crash in between
 * leaves an index entry without a record, which readers skip. Index read-modify-writes for one meeting
 * are serialised here, so callers that forget the meeting queue still lose nothing.
 */
import type { Keyv } from 'keyv';
import { memoryAtomic, type AtomicBackend } from './atomic.ts';
import { StoreUnavailableError } from './errors.ts';
import { KeyedQueue } from '../meetings/queue.ts';
import type {
  AtomicRepository,
  AttendanceRecord,
  AttendanceRepository,
  DiscussionRecord,
  DiscussionRepository,
  MeetingKey,
  MeetingRecord,
  MeetingRepository,
  NameRecord,
  NameRepository,
  PublishRecord,
  PublishRepository,
  SeriesStateRecord,
  SeriesStateRepository,
  Store,
  UpdateRecord,
  UpdateRepository,
} from '../meetings/records.ts';

interface UpdatesIndex {
  readonly userIds: readonly string[];
}

const keys = {
  meeting: (key: MeetingKey) => `meeting:${key}`,
  thread: (threadId: string) => `thread:${threadId}`,
  update: (key: MeetingKey, userId: string) => `update:${key}:${userId}`,
  updatesIndex: (key: MeetingKey) => `updates-index:${key}`,
  name: (guildId: string, userId: string) => `name:${guildId}:${userId}`,
  attendance: (key: MeetingKey) => `attendance:${key}`,
  series: (seriesId: string) => `series:${seriesId}`,
  discussion: (key: MeetingKey) => `discussion:${key}`,
  publish: (key: MeetingKey) => `publish:${key}`,
  publishPending: () => 'publish-pending',
};

/** The meetings with a pending publish (keyv lists no keys by prefix, see above). */
interface PendingPublishes {
  readonly meetingKeys: readonly MeetingKey[];
}

export interface KeyvStoreOptions {
  /** Backend name and URL without credentials, for errors and logs. */
  backend: string;
  /** An operation with no answer after this long fails as StoreUnavailableError. */
  operationTimeoutMs?: number;
  /** The backend's own atomic operations (atomic.ts); default one process's memory. */
  atomic?: AtomicBackend | undefined;
}

export class KeyvStore implements Store {
  readonly backend: string;
  readonly meetings: MeetingRepository;
  readonly updates: UpdateRepository;
  readonly names: NameRepository;
  readonly attendance: AttendanceRepository;
  readonly series: SeriesStateRepository;
  readonly discussions: DiscussionRepository;
  readonly publishes: PublishRepository;
  readonly atomic: AtomicRepository;

  readonly #keyv: Keyv<unknown>;
  readonly #timeoutMs: number;
  readonly #atomicBackend: AtomicBackend;
  readonly #indexQueue = new KeyedQueue();
  #closed = false;

  constructor(keyv: Keyv<unknown>, options: KeyvStoreOptions) {
    this.#keyv = keyv;
    this.backend = options.backend;
    this.#timeoutMs = options.operationTimeoutMs ?? 5_000;

    this.meetings = {
      get: (key) => this.#get<MeetingRecord>('read meeting', keys.meeting(key)),
      put: (record) => this.#set('save meeting', keys.meeting(record.key), record),
      delete: (key) => this.#delete('delete meeting', keys.meeting(key)),
      byThread: (threadId) => this.#get<MeetingKey>('find meeting by thread', keys.thread(threadId)),
      putThread: (threadId, key) => this.#set('save thread', keys.thread(threadId), key),
    };

    this.updates = {
      get: (meetingKey, userId) => this.#get<UpdateRecord>('read update', keys.update(meetingKey, userId)),
      put: (record) => this.updates.putMany(record.meetingKey, [record]),
      putMany: (meetingKey, records) =>
        this.#indexQueue.run(meetingKey, async () => {
          if (records.some((r) => r.meetingKey !== meetingKey)) throw new RangeError(`every record must belong to ${meetingKey}`);
          const index = await this.#index(meetingKey);
          const known = new Set(index.userIds);
          // One write per person, their last record: a statement may not write the same key twice.
          const latest = new Map(records.map((r) => [r.userId, r]));
          const added = [...latest.keys()].filter((id) => !known.has(id));
          const writes: { key: string; value: UpdateRecord | UpdatesIndex }[] = [...latest.values()].map((r) => ({
            key: keys.update(meetingKey, r.userId),
            value: r,
          }));
          if (added.length > 0) writes.push({ key: keys.updatesIndex(meetingKey), value: { userIds: [...index.userIds, ...added] } });
          await this.#op('save updates', async () => {
            // Some adapters' setMany answers nothing; they throw on failure instead.
            const stored: unknown = await this.#keyv.setMany(writes);
            if (Array.isArray(stored) && stored.includes(false)) throw new Error('the backend refused the write');
          });
        }),
      delete: (meetingKey, userId) =>
        this.#indexQueue.run(meetingKey, async () => {
          const index = await this.#index(meetingKey);
          if (index.userIds.includes(userId)) {
            await this.#set('save update index', keys.updatesIndex(meetingKey), { userIds: index.userIds.filter((id) => id !== userId) });
          }
          return this.#delete('delete update', keys.update(meetingKey, userId));
        }),
      list: (meetingKey) => this.#list(meetingKey),
    };

    this.names = {
      get: (guildId, userId) => this.#get<NameRecord>('read name', keys.name(guildId, userId)),
      put: (record) => this.#set('save name', keys.name(record.guildId, record.userId), record),
      delete: (guildId, userId) => this.#delete('delete name', keys.name(guildId, userId)),
      getMany: async (guildId, userIds) => {
        const records = await this.#getMany<NameRecord>(
          'read names',
          userIds.map((id) => keys.name(guildId, id)),
        );
        const byUser = new Map<string, NameRecord>();
        for (const record of records) if (record) byUser.set(record.userId, record);
        return byUser;
      },
    };

    this.attendance = {
      get: (meetingKey) => this.#get<AttendanceRecord>('read attendance', keys.attendance(meetingKey)),
      put: (record) => this.#set('save attendance', keys.attendance(record.meetingKey), record),
      delete: (meetingKey) => this.#delete('delete attendance', keys.attendance(meetingKey)),
    };

    this.series = {
      get: (seriesId) => this.#get<SeriesStateRecord>('read series state', keys.series(seriesId)),
      put: (record) => this.#set('save series state', keys.series(record.seriesId), record),
    };

    this.discussions = {
      get: (meetingKey) => this.#get<DiscussionRecord>('read discussion', keys.discussion(meetingKey)),
      put: (record) => this.#set('save discussion', keys.discussion(record.meetingKey), record),
    };

    this.publishes = {
      get: (meetingKey) => this.#get<PublishRecord>('read publish', keys.publish(meetingKey)),
      put: (record) => this.#putPublish(record),
      pending: async () => [...((await this.#get<PendingPublishes>('read pending publishes', keys.publishPending()))?.meetingKeys ?? [])],
    };

    const atomic = options.atomic ?? memoryAtomic();
    this.#atomicBackend = atomic;
    this.atomic = {
      get: <T>(key: string) =>
        this.#op('read atomic record', async () => {
          const text = await atomic.get(key);
          return text === undefined ? undefined : (JSON.parse(text) as T);
        }),
      create: (key, value) => this.#op('create atomic record', () => atomic.create(key, JSON.stringify(value))),
      replace: (key, expected, next) => this.#op('replace atomic record', () => atomic.replace(key, JSON.stringify(expected), JSON.stringify(next))),
      remove: (key, expected) => this.#op('remove atomic record', () => atomic.remove(key, JSON.stringify(expected))),
    };
  }

  /** The record and the pending index in one write; the index's read-modify-write serialised like the updates'. */
  #putPublish(record: PublishRecord): Promise<void> {
    return this.#indexQueue.run(keys.publishPending(), async () => {
      const index = (await this.#get<PendingPublishes>('read pending publishes', keys.publishPending()))?.meetingKeys ?? [];
      const pending = record.entries.at(-1)?.status === 'pending';
      const listed = index.includes(record.meetingKey);
      const meetingKeys = pending === listed ? index : pending ? [...index, record.meetingKey] : index.filter((k) => k !== record.meetingKey);
      const writes: { key: string; value: unknown }[] = [{ key: keys.publish(record.meetingKey), value: record }];
      if (meetingKeys !== index) writes.push({ key: keys.publishPending(), value: { meetingKeys } });
      await this.#op('save publish', async () => {
        const stored: unknown = await this.#keyv.setMany(writes);
        if (Array.isArray(stored) && stored.includes(false)) throw new Error('the backend refused the write');
      });
    });
  }

  clear(): Promise<void> {
    this.#atomicBackend.clear?.();
    return this.#op('clear', () => this.#keyv.clear());
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    await this.#indexQueue.drain();
    this.#closed = true;
    await this.#keyv.disconnect();
  }

  async #list(meetingKey: MeetingKey): Promise<UpdateRecord[]> {
    const index = await this.#index(meetingKey);
    if (index.userIds.length === 0) return [];
    const records = await this.#getMany<UpdateRecord>(
      'read updates',
      index.userIds.map((id) => keys.update(meetingKey, id)),
    );
    // Index order breaks ties between equal first-given times; sort is stable.
    return records
      .filter((record): record is UpdateRecord => record !== undefined)
      .sort((a, b) => (a.firstGivenAt < b.firstGivenAt ? -1 : a.firstGivenAt > b.firstGivenAt ? 1 : 0));
  }

  async #index(meetingKey: MeetingKey): Promise<UpdatesIndex> {
    return (await this.#get<UpdatesIndex>('read update index', keys.updatesIndex(meetingKey))) ?? { userIds: [] };
  }

  async #get<T>(operation: string, key: string): Promise<T | undefined> {
    return this.#op(operation, async () => {
      const value = await this.#keyv.get(key);
      return value === undefined || value === null ? undefined : (value as T);
    });
  }

  async #getMany<T>(operation: string, keyList: readonly string[]): Promise<(T | undefined)[]> {
    if (keyList.length === 0) return [];
    return this.#op(operation, async () => {
      const values = await this.#keyv.getMany([...keyList]);
      return values.map((value) => (value === undefined || value === null ? undefined : (value as T)));
    });
  }

  #set(operation: string, key: string, value: unknown): Promise<void> {
    return this.#op(operation, async () => {
      const ok = await this.#keyv.set(key, value);
      if (!ok) throw new Error('the backend refused the write');
    });
  }

  #delete(operation: string, key: string): Promise<boolean> {
    return this.#op(operation, () => this.#keyv.delete(key));
  }

  async #op<T>(operation: string, run: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new StoreUnavailableError(operation, this.backend, new Error('the store is closed'));
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.#timeoutMs} ms`)), this.#timeoutMs);
      timer.unref();
    });
    try {
      return await Promise.race([run(), timeout]);
    } catch (error) {
      if (error instanceof StoreUnavailableError) throw error;
      throw new StoreUnavailableError(operation, this.backend, error);
    } finally {
      clearTimeout(timer);
    }
  }
}
