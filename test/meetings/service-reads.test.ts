/**
 * What the service reads from the store on the way to saving an update: the form's pre-fill reads the
 * person's record and name, and the submission that follows only writes. A read that was under way
 * while a write landed must not bring the older value back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { MeetingService } from '../../src/meetings/service.ts';
import { parseUpdate } from '../../src/notes/bullets.ts';
import type { Store, UpdateRecord } from '../../src/store/records.ts';
import { subject, world, type World } from './helpers.ts';

let w: World;
afterEach(async () => {
  await w?.close();
});

const KEY = 'hackathon/2022-03-19';

interface Reads {
  updates: number;
  names: number;
  threads?: number;
  /** When set, the next `updates.get` waits for this before it answers (with what it read at once). */
  holdNextUpdateRead?: Promise<void>;
}

/** The store, with its update and name reads counted (and one update read held back on demand). */
function watched(store: Store, reads: Reads): Store {
  const updates = {
    ...store.updates,
    get: async (key: string, userId: string): Promise<UpdateRecord | undefined> => {
      reads.updates += 1;
      const hold = reads.holdNextUpdateRead;
      delete reads.holdNextUpdateRead;
      const found = await store.updates.get(key, userId);
      if (hold) await hold;
      return found;
    },
  };
  const names = {
    ...store.names,
    get: (guildId: string, userId: string) => {
      reads.names += 1;
      return store.names.get(guildId, userId);
    },
  };
  const meetings = {
    ...store.meetings,
    byThread: (threadId: string) => {
      reads.threads = (reads.threads ?? 0) + 1;
      return store.meetings.byThread(threadId);
    },
  };
  return { ...store, backend: store.backend, meetings, updates, names, listUpdates: (k) => store.listUpdates(k), clear: () => store.clear(), close: () => store.close() };
}

describe('reads on the way to an update', () => {
  it('the submission after the pre-fill reads neither the record nor the name again', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const reads: Reads = { updates: 0, names: 0 };
    const service = new MeetingService({ store: watched(w.store, reads), port: w.port, clock: w.clock, series: [w.series] });
    await service.openMeeting(w.series, '2022-03-19');

    expect(await service.currentUpdateText(KEY, '11')).toBe('');
    expect(reads).toEqual({ updates: 1, names: 1 });
    await service.recordUpdate(KEY, { subject: subject('11', 'Ana'), update: parseUpdate('* first'), authorId: '11' });
    expect(reads).toEqual({ updates: 1, names: 1 });
    // The next showing of the form is pre-filled from what was just saved, still without a read.
    expect(await service.currentUpdateText(KEY, '11')).toBe('* first');
    await service.recordUpdate(KEY, { subject: subject('11', 'Ana'), update: parseUpdate('* second'), authorId: '11', mode: 'append' });
    expect(reads).toEqual({ updates: 1, names: 1 });
    expect((await w.store.updates.get(KEY, '11'))?.update.bullets.map((b) => b.text)).toEqual(['first', 'second']);
  });

  it("a thread's meeting is read from the store once per service, and a channel that is no thread of a meeting is asked again", async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const { meeting } = await w.service.openMeeting(w.series, '2022-03-19');
    const threadId = meeting.threadId as string;
    const reads: Reads = { updates: 0, names: 0 };
    // A restarted service: the thread is known to the store only.
    const restarted = new MeetingService({ store: watched(w.store, reads), port: w.port, clock: w.clock, series: [w.series] });
    expect((await restarted.meetingForChannel(threadId))?.key).toBe(KEY);
    expect((await restarted.meetingForChannel(threadId))?.key).toBe(KEY);
    expect(reads.threads).toBe(1);
    expect(await restarted.meetingForChannel('999999999999999999')).toBeUndefined();
    expect(await restarted.meetingForChannel('999999999999999999')).toBeUndefined();
    expect(reads.threads).toBe(3);
    // The service that created the thread never reads it back.
    const creator: Reads = { updates: 0, names: 0 };
    const opener = new MeetingService({ store: watched(w.store, creator), port: w.port, clock: w.clock, series: [w.series] });
    const next = await opener.openMeeting(w.series, '2022-03-26');
    expect((await opener.meetingForChannel(next.meeting.threadId as string))?.key).toBe('hackathon/2022-03-26');
    expect(creator.threads ?? 0).toBe(0);
  });

  it('a pre-fill read that was under way while an update was saved does not bring the older record back', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const reads: Reads = { updates: 0, names: 0 };
    const service = new MeetingService({ store: watched(w.store, reads), port: w.port, clock: w.clock, series: [w.series] });
    await service.openMeeting(w.series, '2022-03-19');
    await service.recordUpdate(KEY, { subject: subject('11', 'Ana'), update: parseUpdate('* old'), authorId: '11' });

    // A restarted service knows nothing yet: its first pre-fill reads "old" and is held back …
    const restarted = new MeetingService({ store: watched(w.store, reads), port: w.port, clock: w.clock, series: [w.series] });
    let release!: () => void;
    reads.holdNextUpdateRead = new Promise<void>((resolve) => (release = resolve));
    const slowPrefill = restarted.currentUpdateText(KEY, '11');
    await new Promise((resolve) => setTimeout(resolve, 20));
    // … while a submission reads and saves "new" …
    await restarted.recordUpdate(KEY, { subject: subject('11', 'Ana'), update: parseUpdate('* new'), authorId: '11' });
    release();
    // … the late read answers with what it saw, and what it saw is not kept.
    expect(await slowPrefill).toBe('* old');
    expect(await restarted.currentUpdateText(KEY, '11')).toBe('* new');
    await restarted.recordUpdate(KEY, { subject: subject('11', 'Ana'), update: parseUpdate('* added'), authorId: '11', mode: 'append' });
    expect((await w.store.updates.get(KEY, '11'))?.update.bullets.map((b) => b.text)).toEqual(['new', 'added']);
  });
});
