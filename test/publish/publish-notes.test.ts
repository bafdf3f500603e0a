import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ManualClock } from '../../src/clock.ts';
import type { Series } from '../../src/config.ts';
import type { Store } from '../../src/meetings/records.ts';
import { MeetingService } from '../../src/meetings/service.ts';
import { parseUpdate } from '../../src/notes/bullets.ts';
import { PublishRefused, type PublishRequest, type PublishResult, type Publisher } from '../../src/publish/publisher.ts';
import { openStore } from '../../src/store/index.ts';
import { ManualTimers } from '../bot/manual-timers.ts';
import { FakePort } from '../meetings/fake-port.ts';
import { hackathon, subject, TEXT } from '../meetings/helpers.ts';

const KEY = 'hackathon/2022-03-19';
const SECRET = 'tok3n-s3cret';

/** A publisher that answers from a script: an error to throw, or success; records each request. */
class ScriptedPublisher implements Publisher {
  readonly requests: PublishRequest[] = [];
  script: (Error | 'ok' | Promise<void>)[] = [];
  async publish(request: PublishRequest): Promise<PublishResult> {
    this.requests.push(request);
    const next = this.script.shift() ?? 'ok';
    if (next instanceof Error) throw next;
    if (next instanceof Promise) await next;
    const commit = `c${this.requests.length}`.padEnd(40, '0');
    return { commit, changed: true, url: `https://example.org/commit/${commit}` };
  }
}

const series: Series = {
  ...hackathon(),
  publish: {
    kind: 'git',
    remote: 'git@example.org:notes.git',
    branch: 'main',
    author: { name: 'Scribe', email: 's@example.org' },
    signOff: false,
    message: '{team}: Add summary of meeting on {date}',
  },
};

describe('publishing in the meeting core: pending, done, retried with backoff', () => {
  let store: Store;
  let dir: string;
  let clock: ManualClock;
  let timers: ManualTimers;
  let port: FakePort;
  let publisher: ScriptedPublisher;
  let service: MeetingService;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scribe-publish-notes-'));
    store = await openStore(`sqlite://${join(dir, 's.sqlite')}`);
    clock = new ManualClock('2022-03-19T08:00:00Z');
    timers = new ManualTimers(clock);
    port = new FakePort();
    publisher = new ScriptedPublisher();
    service = new MeetingService({ store, port, clock, series: [series], publish: { publisherFor: () => publisher, timers } });
    await service.openMeeting(series, '2022-03-19');
    await service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('worked on it'), authorId: '1' });
  });
  afterEach(async () => {
    await service.drain();
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const entries = async () => (await store.publishes.get(KEY))?.entries ?? [];

  it('a failing remote: logged as pending with the error redacted, told in the channel once, retried after 1, then 2 minutes, then done', async () => {
    publisher.script = [new Error(`fatal: unable to access 'https://scribe:${SECRET}@example.org/notes.git/'`), new Error('still down')];
    const ended = await service.endMeeting(KEY);
    expect(ended.publish.status).toBe('pending');
    const [first] = await entries();
    expect(first).toMatchObject({ revision: 1, status: 'pending', attempts: 1, nextAttemptAt: '2022-03-19T08:01:00.000Z', reported: true });
    expect(first?.lastError).toContain('https://***@example.org');
    expect(JSON.stringify(await store.publishes.get(KEY))).not.toContain(SECRET);
    const told = port.messages.filter((m) => m.channelId === TEXT);
    expect(told).toHaveLength(1);
    expect(told[0]?.content).toMatch(/^Could not publish revision 1 of the notes of 2022-03-19 to git@example.org:notes.git \(main\)/);
    expect(told[0]?.content).not.toContain(SECRET);
    expect(await store.publishes.pending()).toEqual([KEY]);

    clock.advance(59_000);
    expect(timers.fireDue()).toBe(0);
    clock.advance(1_000);
    expect(timers.fireDue()).toBe(1);
    await vi.waitFor(async () => expect((await entries())[0]).toMatchObject({ attempts: 2, nextAttemptAt: '2022-03-19T08:03:00.000Z' }));
    expect(port.messages.filter((m) => m.channelId === TEXT)).toHaveLength(1);

    clock.advance(120_000);
    expect(timers.fireDue()).toBe(1);
    await vi.waitFor(async () => expect((await entries())[0]?.status).toBe('done'));
    expect(await entries()).toMatchObject([
      { revision: 1, status: 'done', attempts: 2, changed: true, url: expect.stringContaining('https://example.org/commit/') },
    ]);
    expect((await entries())[0]?.content).toBeUndefined();
    expect(await store.publishes.pending()).toEqual([]);
    expect(publisher.requests).toHaveLength(3);
    const compiled = await service.compile(KEY);
    expect(publisher.requests.map((r) => [r.branch, r.path, r.message, r.content === compiled.text])).toEqual(
      Array(3).fill(['main', 'hackathons/2022/2022-03-19.md', 'community: Add summary of meeting on March 19, 2022', true]),
    );
  });

  it('a refusal waits the longest delay; an interactive failure is told in the reply, not the channel', async () => {
    publisher.script = [new PublishRefused('the remote refused: Permission denied (publickey)')];
    const ended = await service.endMeeting(KEY, { interactive: true });
    expect(ended.publish).toMatchObject({ status: 'pending', error: expect.stringContaining('Permission denied') });
    expect((await entries())[0]?.nextAttemptAt).toBe('2022-03-19T09:00:00.000Z');
    expect(port.messages.filter((m) => m.channelId === TEXT)).toHaveLength(0);
  });

  it('the same text is not published twice; a newer revision published while one is in flight follows it', async () => {
    let release: () => void = () => undefined;
    publisher.script = [new Promise<void>((resolve) => (release = resolve))];
    const ending = service.endMeeting(KEY);
    await vi.waitFor(() => expect(publisher.requests).toHaveLength(1));
    await service.recordUpdate(KEY, { subject: subject('1', 'Ana'), update: parseUpdate('worked on it more'), authorId: '1' });
    const revision2 = service.publishSummary(KEY);
    release();
    expect((await ending).publish.status).toBe('done');
    const second = await revision2;
    expect(second.summary.revision).toBe(2);
    await vi.waitFor(async () =>
      expect((await entries()).map((e) => [e.revision, e.status])).toEqual([
        [1, 'done'],
        [2, 'done'],
      ]),
    );
    expect(publisher.requests.map((r) => r.revision)).toEqual([1, 2]);

    const again = await service.publishSummary(KEY);
    expect(again.publish).toMatchObject({ status: 'done', entry: { revision: 2 } });
    expect(publisher.requests).toHaveLength(2);
  });
});
