/**
 * Scribe's part of publishing (issue 23): which revision goes to the notes repository, the record of
 * each publish (pending, then done with its commit or pull request), and retries. A publish is recorded
 * as pending before the publisher is called, so a crash at any point leaves it to the next start; the
 * publishers are idempotent, so finishing it never commits twice. A failure never touches the notes in
 * Discord: it is logged, told to a maintainer once, and retried with a growing delay.
 */
import { createHash } from 'node:crypto';
import type { Clock } from '../clock.ts';
import type { Series } from '../config.ts';
import { PublishRefused, type Publisher } from '../publish/publisher.ts';
import { redact } from '../publish/redact.ts';
import type { Timers } from '../schedule/timers.ts';
import type { MeetingLog } from './context.ts';
import type { DiscordPort } from './ports.ts';
import { whileClaimed, type ClaimOwner, type Lease } from './claim.ts';
import { publishTarget } from './publish-target.ts';
import { KeyedQueue } from './queue.ts';
import type { MeetingKey, MeetingRecord, PublishEntry, PublishRecord, Store } from './records.ts';

export interface PublishingOptions {
  /** The publisher of a series (made once per series from its `publish` key), or undefined when it publishes nowhere. */
  readonly publisherFor: (series: Series) => Publisher | undefined;
  readonly timers: Timers;
  /** The first retry's delay, doubled each time up to `maxRetryMs`; default 1 minute and 1 hour. */
  readonly retryMs?: number;
  readonly maxRetryMs?: number;
  /** Values never to show (the GitHub tokens), on top of the credentials in URLs that are always cut out. */
  readonly secrets?: readonly string[];
}

export type PublishOutcome =
  | { readonly status: 'off' }
  | { readonly status: 'done'; readonly entry: PublishEntry }
  | { readonly status: 'pending'; readonly entry: PublishEntry; readonly error: string };

interface PublishingDeps extends PublishingOptions {
  readonly store: Store;
  readonly clock: Clock;
  readonly log: MeetingLog;
  readonly port: DiscordPort;
  readonly series: readonly Series[];
  readonly claimOwner: ClaimOwner;
}

const hashOf = (text: string) => createHash('sha256').update(text).digest('hex');

export class NotesPublishing {
  readonly #deps: PublishingDeps;
  /** Writes of one meeting's publish record, in turn (short: no network inside). */
  readonly #records = new KeyedQueue();
  /** One publisher call per meeting at a time; the network is outside the record's turn. */
  readonly #runs = new KeyedQueue();
  readonly #retries = new Map<MeetingKey, unknown>();
  #stopped = false;

  constructor(deps: PublishingDeps) {
    this.#deps = deps;
  }

  #seriesOf(meeting: { readonly seriesId: string }): Series | undefined {
    return this.#deps.series.find((s) => s.id === meeting.seriesId);
  }

  /** A publisher that cannot be made is logged, never thrown: ending a meeting must not fail because of it. */
  #publisher(series: Series): Publisher | undefined {
    try {
      return this.#deps.publisherFor(series);
    } catch (error) {
      this.#deps.log.error(
        { series: series.id, err: { message: redact(String(error), this.#deps.secrets) } },
        'no publisher for this series; its notes are not published',
      );
      return undefined;
    }
  }

  /**
   * Records `text` (revision `revision` as posted) as the meeting's next publish, unless the last publish
   * already holds this text. Returns false when the series publishes nowhere.
   */
  async request(meeting: MeetingRecord, text: string, revision: number): Promise<boolean> {
    const series = this.#seriesOf(meeting);
    if (series?.publish === undefined || this.#publisher(series) === undefined) return false;
    const target = publishTarget(series, series.publish, meeting.localDate);
    const contentHash = hashOf(text);
    await this.#recordTurn(meeting.key, async () => {
      const record = await this.#deps.store.publishes.get(meeting.key);
      const entries = record?.entries ?? [];
      const last = entries.at(-1);
      if (last !== undefined && last.contentHash === contentHash && last.branch === target.branch && last.path === target.path) return;
      // A newer text supersedes a pending one: only what is current is worth a commit.
      const kept = last?.status === 'pending' ? entries.slice(0, -1) : entries;
      const entry: PublishEntry = { revision, contentHash, status: 'pending', ...target, content: text, requestedAt: this.#now(), attempts: 0 };
      await this.#put(meeting.key, [...kept, entry]);
    });
    return true;
  }

  /**
   * Publishes the meeting's pending entry, if any, and says how it ended. Never throws: a failure is
   * recorded, logged, told to a maintainer (by the caller when `interactive`, else in the series'
   * channel, once) and retried later.
   */
  run(key: MeetingKey, options: { interactive?: boolean } = {}): Promise<PublishOutcome> {
    // Across processes, one publisher call per meeting (claim.ts): the other then finds the entry done.
    const claimed = () => whileClaimed(this.#deps, `publish:${key}`, (lease) => this.#run(key, options.interactive ?? false, lease));
    return this.#runs.run(key, () =>
      claimed().catch(async (error: unknown): Promise<PublishOutcome> => {
        this.#deps.log.warn({ meeting: key, err: error }, 'another process is publishing these notes; will look again');
        this.#retry(key, this.#deps.retryMs ?? 60_000);
        const entry = (await this.#deps.store.publishes.get(key).catch(() => undefined))?.entries.at(-1);
        if (entry === undefined) return { status: 'off' };
        return entry.status === 'done' ? { status: 'done', entry } : { status: 'pending', entry, error: 'another Scribe process is publishing these notes' };
      }),
    );
  }

  /** A write of the meeting's publish record: in turn here, and holding its claim across processes. */
  #recordTurn(key: MeetingKey, write: () => Promise<void>): Promise<void> {
    return this.#records.run(key, () => whileClaimed(this.#deps, `publish-record:${key}`, write));
  }

  /** At start: finishes every publish a stop or a crash left pending. */
  async resumePending(): Promise<void> {
    let keys: MeetingKey[];
    try {
      keys = await this.#deps.store.publishes.pending();
    } catch (error) {
      this.#deps.log.error({ err: error }, 'could not read the pending publishes; they are finished at the next start or publish');
      return;
    }
    for (const key of keys) await this.run(key);
  }

  /** Cancels the retry timers (shutdown). A publish in progress finishes or is finished at the next start. */
  stop(): void {
    this.#stopped = true;
    for (const handle of this.#retries.values()) this.#deps.timers.clear(handle);
    this.#retries.clear();
  }

  async #run(key: MeetingKey, interactive: boolean, lease: Lease): Promise<PublishOutcome> {
    const { store, log } = this.#deps;
    let entry: PublishEntry | undefined;
    let meeting: MeetingRecord | undefined;
    try {
      [meeting, entry] = await Promise.all([store.meetings.get(key), store.publishes.get(key).then((r) => r?.entries.at(-1))]);
    } catch (error) {
      log.error({ meeting: key, err: error }, 'could not read the publish record; will retry');
      this.#retry(key, this.#deps.retryMs ?? 60_000);
      return { status: 'off' };
    }
    const series = meeting && this.#seriesOf(meeting);
    const publisher = series && this.#publisher(series);
    if (entry === undefined || series === undefined || publisher === undefined || series.publish === undefined) return { status: 'off' };
    if (entry.status === 'done' || entry.content === undefined) return { status: 'done', entry };
    const pending = entry;
    await lease.confirm();
    try {
      const result = await publisher.publish({
        meetingKey: key,
        revision: pending.revision,
        branch: pending.branch,
        path: pending.path,
        content: pending.content ?? '',
        message: publishTarget(series, series.publish, meeting?.localDate ?? '').message,
        author: series.publish.author,
      });
      const done: PublishEntry = {
        revision: pending.revision,
        contentHash: pending.contentHash,
        status: 'done',
        where: pending.where,
        branch: pending.branch,
        path: pending.path,
        requestedAt: pending.requestedAt,
        attempts: pending.attempts,
        commit: result.commit,
        url: result.url,
        changed: result.changed,
        doneAt: this.#now(),
        ...(result.pullRequest === undefined ? {} : { pullRequest: result.pullRequest }),
      };
      await this.#finish(key, pending, done);
      this.#clearRetry(key);
      log.info(
        { meeting: key, revision: done.revision, where: done.where, branch: done.branch, commit: done.commit, changed: done.changed },
        'notes published',
      );
      return { status: 'done', entry: done };
    } catch (error) {
      return this.#failed(key, pending, error, interactive);
    }
  }

  /** Marks the entry done unless a newer text replaced it meanwhile; then the newer one is published next. */
  async #finish(key: MeetingKey, pending: PublishEntry, done: PublishEntry): Promise<void> {
    let superseded = false;
    await this.#recordTurn(key, async () => {
      const entries = (await this.#deps.store.publishes.get(key))?.entries ?? [];
      const at = entries.findIndex((e) => e.status === 'pending' && e.contentHash === pending.contentHash && e.revision === pending.revision);
      if (at >= 0)
        await this.#put(
          key,
          entries.map((e, i) => (i === at ? done : e)),
        );
      else {
        superseded = true;
        await this.#put(key, [...entries.slice(0, -1), done, ...entries.slice(-1)]);
      }
    });
    if (superseded) this.#retry(key, 0);
  }

  async #failed(key: MeetingKey, pending: PublishEntry, error: unknown, interactive: boolean): Promise<PublishOutcome> {
    const { log, clock } = this.#deps;
    const refused = error instanceof PublishRefused;
    const message = redact(error instanceof Error ? error.message : String(error), this.#deps.secrets);
    const attempts = pending.attempts + 1;
    const base = this.#deps.retryMs ?? 60_000;
    const cap = this.#deps.maxRetryMs ?? 3_600_000;
    // A refusal (credentials, permissions) needs a person: retried at the longest delay only.
    const delay = refused ? cap : Math.min(cap, base * 2 ** (attempts - 1));
    const nextAttemptAt = new Date(clock.now().getTime() + delay).toISOString();
    const tell = !interactive && pending.reported !== true;
    const failed: PublishEntry = { ...pending, attempts, lastError: message, nextAttemptAt, reported: pending.reported === true || interactive || tell };
    log.error(
      { meeting: key, revision: pending.revision, where: pending.where, attempts, refused, nextAttemptAt, err: { message } },
      'publishing the notes failed; will retry',
    );
    try {
      await this.#recordTurn(key, async () => {
        const entries = (await this.#deps.store.publishes.get(key))?.entries ?? [];
        const last = entries.at(-1);
        if (last?.status === 'pending' && last.contentHash === pending.contentHash) await this.#put(key, [...entries.slice(0, -1), failed]);
      });
    } catch (storeError) {
      log.error({ meeting: key, err: storeError }, 'could not record the failed publish');
    }
    if (tell) await this.#report(key, failed);
    this.#retry(key, delay);
    return { status: 'pending', entry: failed, error: message };
  }

  /** Tells the series' channel once that its notes are not published yet (the thread may be archived). */
  async #report(key: MeetingKey, entry: PublishEntry): Promise<void> {
    const meeting = await this.#deps.store.meetings.get(key).catch(() => undefined);
    if (meeting === undefined) return;
    const content =
      `Could not publish revision ${entry.revision} of the notes of ${meeting.localDate} to ${entry.where} (${entry.branch}): ${entry.lastError ?? 'unknown error'}. ` +
      `Scribe retries by itself; the notes in the thread are unaffected. A maintainer can retry now with /summary publish:true in the thread.`;
    try {
      await this.#deps.port.postMessage(meeting.parentChannelId, { content: content.slice(0, 1900), allowedUserMentions: [] });
    } catch (error) {
      this.#deps.log.warn({ meeting: key, err: error }, 'could not report the failed publish in the channel');
    }
  }

  #retry(key: MeetingKey, delay: number): void {
    if (this.#stopped) return;
    this.#clearRetry(key);
    const handle = this.#deps.timers.set(() => {
      this.#retries.delete(key);
      void this.run(key);
    }, delay);
    this.#retries.set(key, handle);
  }

  #clearRetry(key: MeetingKey): void {
    const handle = this.#retries.get(key);
    if (handle !== undefined) this.#deps.timers.clear(handle);
    this.#retries.delete(key);
  }

  #put(key: MeetingKey, entries: readonly PublishEntry[]): Promise<void> {
    const record: PublishRecord = { meetingKey: key, entries, updatedAt: this.#now() };
    return this.#deps.store.publishes.put(record);
  }

  #now(): string {
    return this.#deps.clock.now().toISOString();
  }
}
