import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscussionRecord, MeetingRecord, Store, UpdateRecord } from '../../src/meetings/records.ts';
import { openStore } from '../../src/store/index.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/test';
const tempDir = mkdtempSync(join(tmpdir(), 'scribe-store-'));
afterAll(() => rmSync(tempDir, { recursive: true, force: true }));

/** A namespace no other run uses: letters and digits only (Postgres' LIKE treats _ and % specially). */
const uniqueNamespace = () => `scribetest${randomUUID().replaceAll('-', '')}`;

const MEETING = 'hackathon/2022-03-19';

function meeting(overrides: Partial<MeetingRecord> = {}): MeetingRecord {
  return {
    key: MEETING,
    seriesId: 'hackathon',
    guildId: '100000000000000001',
    localDate: '2022-03-19',
    status: 'open',
    parentChannelId: '100000000000000003',
    threadName: 'Hackathon 2022-03-19',
    threadId: '200000000000000001',
    opensAt: '2022-03-19T08:00:00.000Z',
    endsAt: '2022-03-19T12:00:00.000Z',
    opensAtLocalTime: '09:00:00',
    openingStartedAt: '2022-03-19T08:00:00.000Z',
    openedAt: '2022-03-19T08:00:01.000Z',
    summaryRevision: 0,
    updatedAt: '2022-03-19T08:00:01.000Z',
    ...overrides,
  };
}

function update(userId: string, firstGivenAt: string, text = `work of ${userId}`): UpdateRecord {
  return {
    meetingKey: MEETING,
    userId,
    identity: { displayName: `user${userId}`, nick: `Nick ${userId}` },
    name: `Nick ${userId}`,
    update: { bullets: [{ text, continuation: ['more'] }], references: [{ label: '1', url: 'https://example.org/ș' }] },
    firstGivenAt,
    updatedAt: firstGivenAt,
    authorId: userId,
  };
}

const backends: { name: string; url: () => string }[] = [
  { name: 'SQLite', url: () => `sqlite://${join(tempDir, 'nested', 'dir', 'scribe.sqlite')}` },
  { name: 'Redis', url: () => REDIS_URL },
  { name: 'Postgres', url: () => POSTGRES_URL },
  { name: 'memory', url: () => 'memory://' },
];

describe.each(backends)('store contract on $name', ({ name, url }) => {
  let store: Store;
  const namespace = uniqueNamespace();
  beforeAll(async () => {
    store = await openStore(url(), { namespace });
  });
  afterAll(async () => {
    await store.clear();
    await store.close();
  });

  it('gets what was set, and nothing for an unknown key', async () => {
    expect(await store.meetings.get(MEETING)).toBeUndefined();
    const record = meeting();
    await store.meetings.put(record);
    expect(await store.meetings.get(MEETING)).toEqual(record);
    await store.meetings.put({ ...record, status: 'ended', endedAt: '2022-03-19T12:00:00.000Z' });
    expect((await store.meetings.get(MEETING))?.status).toBe('ended');
    await store.meetings.putThread('200000000000000001', MEETING);
    expect(await store.meetings.byThread('200000000000000001')).toBe(MEETING);
    expect(await store.meetings.byThread('999')).toBeUndefined();
  });

  it('lists a meeting’s updates in the order first given, last write winning per person', async () => {
    await store.updates.put(update('3', '2022-03-19T08:10:00.000Z'));
    await store.updates.put(update('1', '2022-03-19T08:05:00.000Z'));
    await store.updates.put(update('2', '2022-03-19T08:20:00.000Z'));
    await store.updates.put({ ...update('1', '2022-03-19T08:05:00.000Z', 'changed'), updatedAt: '2022-03-19T08:30:00.000Z' });
    const list = await store.updates.list(MEETING);
    expect(list.map((u) => u.userId)).toEqual(['1', '3', '2']);
    expect(list[0]?.update.bullets[0]?.text).toBe('changed');
    expect(list[0]?.update.references[0]?.url).toBe('https://example.org/ș');
    expect(await store.updates.list('hackathon/2022-03-26')).toEqual([]);
    expect(await store.updates.get(MEETING, '2')).toEqual(update('2', '2022-03-19T08:20:00.000Z'));
  });

  it('loses no index entry when many people submit at once', async () => {
    const key = 'hackathon/2022-04-02';
    const ids = Array.from({ length: 25 }, (_, i) => `${1000 + i}`);
    await Promise.all(ids.map((id, i) => store.updates.put({ ...update(id, `2022-04-02T08:${String(i).padStart(2, '0')}:00.000Z`), meetingKey: key })));
    expect((await store.updates.list(key)).map((u) => u.userId)).toEqual(ids);
  });

  it('stores a burst of 200 people writing three times each: every person, the last write winning, seen by another store', async () => {
    const key = 'hackathon/2022-04-09';
    const ids = Array.from({ length: 200 }, (_, i) => `${5000 + i}`);
    const at = (i: number) => `2022-04-09T08:00:00.${String(i).padStart(3, '0')}Z`;
    // All handed over at once: the meeting's index read-modify-writes must queue, none lost or reordered.
    await Promise.all(
      [0, 1, 2].flatMap((round) => ids.map((id, i) => store.updates.put({ ...update(id, at(i), `round ${round} of ${id}`), meetingKey: key }))),
    );
    const list = await store.updates.list(key);
    expect(list.map((u) => u.userId)).toEqual(ids);
    expect(list.every((u) => u.update.bullets[0]?.text === `round 2 of ${u.userId}`)).toBe(true);
    if (name === 'memory') return;
    const other = await openStore(url(), { namespace });
    try {
      const seen = await other.updates.list(key);
      expect(seen.length).toBe(200);
      expect(seen.every((u) => u.update.bullets[0]?.text === `round 2 of ${u.userId}`)).toBe(true);
    } finally {
      await other.close();
    }
  });

  it('deletes an update, and a second delete finds nothing', async () => {
    const key = 'hackathon/2022-04-16';
    for (const [id, at] of [
      ['1', '08:05'],
      ['3', '08:10'],
      ['2', '08:20'],
    ] as const)
      await store.updates.put({ ...update(id, `2022-04-16T${at}:00.000Z`), meetingKey: key });
    expect(await store.updates.delete(key, '3')).toBe(true);
    expect((await store.updates.list(key)).map((u) => u.userId)).toEqual(['1', '2']);
    expect(await store.updates.get(key, '3')).toBeUndefined();
    expect(await store.updates.delete(key, '3')).toBe(false);
  });

  it('keeps names per guild, attendance and series state', async () => {
    await store.names.put({ guildId: 'g1', userId: '1', name: 'ȘtefanJ', setAt: '2022-03-19T08:00:00.000Z' });
    await store.names.put({ guildId: 'g2', userId: '1', name: 'Other', setAt: '2022-03-19T08:00:00.000Z' });
    expect((await store.names.get('g1', '1'))?.name).toBe('ȘtefanJ');
    const many = await store.names.getMany('g1', ['1', '2']);
    expect([...many.keys()]).toEqual(['1']);
    expect(await store.names.delete('g2', '1')).toBe(true);
    expect(await store.names.get('g2', '1')).toBeUndefined();

    const attendance = {
      meetingKey: MEETING,
      attendees: [
        { userId: '1', identity: { displayName: 'a' }, firstJoinedAt: '2022-03-19T08:00:00.000Z', intervals: [{ from: '2022-03-19T08:00:00.000Z' }] },
      ],
      updatedAt: '2022-03-19T08:00:00.000Z',
    };
    await store.attendance.put(attendance);
    expect(await store.attendance.get(MEETING)).toEqual(attendance);

    await store.series.put({ seriesId: 'hackathon', currentMeetingKey: MEETING, updatedAt: '2022-03-19T08:00:00.000Z' });
    expect((await store.series.get('hackathon'))?.currentMeetingKey).toBe(MEETING);
  });

  it('keeps a meeting’s discussion record whole: agenda, notes with and without a topic, tasks, decisions', async () => {
    const key = 'vmm/2023-06-14';
    expect(await store.discussions.get(key)).toBeUndefined();
    const ann = { userId: '1', identity: { displayName: 'ann', nick: 'ȘtefanJ' } };
    const bob = { userId: '2', identity: { displayName: 'bob' } };
    const record: DiscussionRecord = {
      meetingKey: key,
      agenda: [{ text: 'Status update', addedBy: '1', addedAt: '2023-06-13T09:00:00.000Z' }],
      notes: [
        { ...ann, id: '300000000000000001', authorId: '1', topic: 'HW Rand', text: 'AB: one\ntwo ș', givenAt: '2023-06-14T08:05:00.000Z' },
        { ...bob, id: '300000000000000002', authorId: '1', text: 'plain', givenAt: '2023-06-14T08:06:00.000Z' },
      ],
      tasks: [{ id: '300000000000000003', owners: [ann, bob], text: 'Review the PR', authorId: '1', givenAt: '2023-06-14T08:10:00.000Z' }],
      decisions: [{ id: '300000000000000004', text: 'Ship it', authorId: '1', givenAt: '2023-06-14T08:11:00.000Z' }],
      updatedAt: '2023-06-14T08:11:00.000Z',
    };
    await store.discussions.put(record);
    expect(await store.discussions.get(key)).toEqual(record);
    // Written whole in the meeting's turn: the second put replaces the first, a shorter list included.
    const changed: DiscussionRecord = { ...record, agenda: [], notes: record.notes.slice(1), updatedAt: '2023-06-14T08:20:00.000Z' };
    await store.discussions.put(changed);
    expect(await store.discussions.get(key)).toEqual(changed);
    expect(await store.discussions.get('vmm/2023-06-21')).toBeUndefined();
  });
});

describe.each(backends.filter((b) => b.name !== 'memory'))('atomic records on $name, two stores on one namespace (two processes)', ({ url }) => {
  let first: Store;
  let second: Store;
  const namespace = uniqueNamespace();
  beforeAll(async () => {
    first = await openStore(url(), { namespace });
    second = await openStore(url(), { namespace });
  });
  afterAll(async () => {
    await first.clear();
    await Promise.all([first.close(), second.close()]);
  });

  it('create: of 20 concurrent claimers over two connections exactly one wins, and every store reads the winner', async () => {
    const claims = Array.from({ length: 20 }, (_, i) => ({ owner: `owner-${i}`, expiresAt: '2022-03-19T08:01:00.000Z' }));
    const won = await Promise.all(claims.map((claim, i) => (i % 2 === 0 ? first : second).atomic.create('open:hackathon/2022-03-19', claim)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = claims[won.indexOf(true)];
    expect(await first.atomic.get('open:hackathon/2022-03-19')).toEqual(winner);
    expect(await second.atomic.get('open:hackathon/2022-03-19')).toEqual(winner);
    expect(await first.atomic.create('open:hackathon/2022-03-19', { owner: 'late' })).toBe(false);
    expect(await first.atomic.get('open:hackathon/2022-03-26')).toBeUndefined();
  });

  it('replace: of 20 concurrent compare-and-sets from the same expected value exactly one wins; a stale expected value never does', async () => {
    const key = 'open:hackathon/2022-04-02';
    const initial = { owner: 'crashed', expiresAt: '2022-04-02T08:00:00.000Z' };
    expect(await first.atomic.create(key, initial)).toBe(true);
    const next = Array.from({ length: 20 }, (_, i) => ({ owner: `taker-${i}`, expiresAt: '2022-04-02T08:01:00.000Z' }));
    const won = await Promise.all(next.map((claim, i) => (i % 2 === 0 ? first : second).atomic.replace(key, initial, claim)));
    expect(won.filter(Boolean)).toHaveLength(1);
    const winner = next[won.indexOf(true)];
    expect(await second.atomic.get(key)).toEqual(winner);
    expect(await second.atomic.replace(key, initial, { owner: 'stale' })).toBe(false);
    expect(await second.atomic.replace('open:absent', initial, { owner: 'x' })).toBe(false);
    expect(await first.atomic.get(key)).toEqual(winner);
  });

  it('remove: only while the value is still the expected one; then the key can be created again', async () => {
    const key = 'open:hackathon/2022-04-09';
    const mine = { owner: 'me', expiresAt: '2022-04-09T08:01:00.000Z' };
    expect(await first.atomic.create(key, mine)).toBe(true);
    expect(await second.atomic.remove(key, { ...mine, owner: 'someone else' })).toBe(false);
    const removed = await Promise.all([first.atomic.remove(key, mine), second.atomic.remove(key, mine)]);
    expect(removed.filter(Boolean)).toHaveLength(1);
    expect(await first.atomic.get(key)).toBeUndefined();
    expect(await second.atomic.create(key, mine)).toBe(true);
  });

  it('atomic records live in the namespace: clear() removes them, another namespace never sees them', async () => {
    const other = await openStore(url(), { namespace: uniqueNamespace() });
    try {
      expect(await other.atomic.get('open:hackathon/2022-04-09')).toBeUndefined();
      expect(await other.atomic.create('open:hackathon/2022-04-09', { owner: 'other' })).toBe(true);
      expect(await first.atomic.get('open:hackathon/2022-04-09')).toEqual({ owner: 'me', expiresAt: '2022-04-09T08:01:00.000Z' });
      await other.clear();
      expect(await other.atomic.get('open:hackathon/2022-04-09')).toBeUndefined();
      expect(await first.atomic.get('open:hackathon/2022-04-09')).toBeDefined();
    } finally {
      await other.close();
    }
  });
});
