/**
 * node-cron fires on its own, under fake time that Scribe's clock follows, across the days
 * Europe/Berlin changes its clocks (2026-03-29 spring-forward: 02:00 -> 03:00; 2026-10-25 fall-back:
 * 03:00 -> 02:00). A daily 02:30 series meets the change on both days.
 *
 * What node-cron 4.6 does on its own (asserted below so that an upgrade that changes it is noticed):
 * on the fall-back day it fires once, at the second 02:30 (01:30Z, +01:00); on the spring-forward
 * day it does not fire at all. Scribe opens those meetings at the README's instant: the first 02:30
 * (00:30Z, +02:00), and 03:30 CEST (01:30Z) past the gap; once each, the notes naming that instant.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Clock } from '../../src/clock.ts';
import type { Series } from '../../src/config.ts';
import { MeetingService } from '../../src/meetings/service.ts';
import { checkNotes } from '../../src/notes/check.ts';
import type { Store } from '../../src/meetings/records.ts';
import { Scheduler } from '../../src/schedule/scheduler.ts';
import { openStore } from '../../src/store/index.ts';
import { FakePort } from '../meetings/fake-port.ts';
import { hackathon, VOICE } from '../meetings/helpers.ts';

const MINUTE = 60_000;
/** Scribe's clock is the (faked) system time, the one node-cron reads. */
const fakeTimeClock: Clock = { now: () => new Date() };

interface Run {
  readonly series: Series;
  readonly store: Store;
  readonly port: FakePort;
  readonly service: MeetingService;
  readonly scheduler: Scheduler;
  /** The slots node-cron fired for, on its own. */
  readonly cronFires: string[];
  readonly logs: string[];
  /** Moves fake time to an instant, running every timer (node-cron's, Scribe's) due on the way. */
  until(iso: string): Promise<void>;
  stop(): Promise<void>;
}

let run: Run | undefined;
afterEach(async () => {
  await run?.stop();
  run = undefined;
  vi.useRealTimers();
});

async function startAt(iso: string, overrides: Partial<Series>): Promise<Run> {
  vi.useFakeTimers();
  vi.setSystemTime(new Date(iso));
  const series = hackathon({ open: '30 2 * * *', remindBeforeEndMinutes: undefined, ...overrides });
  const store = await openStore('memory://', { namespace: `clock-changes-${iso}-${String(Math.random())}` });
  const port = new FakePort();
  port.channelNames.set(VOICE, 'monkey-business');
  const service = new MeetingService({ store, port, clock: fakeTimeClock, series: [series] });
  const logs: string[] = [];
  const log = { info: (_: object, message?: string) => logs.push(message ?? ''), error: (_: object, message?: string) => logs.push(message ?? '') };
  const scheduler = new Scheduler({ meetings: service, clock: fakeTimeClock, series: [series], log });
  await scheduler.start();
  const cronFires: string[] = [];
  scheduler.task(series.id)?.on('execution:started', (context) => {
    cronFires.push(context.date.toISOString());
  });
  return {
    series,
    store,
    port,
    service,
    scheduler,
    cronFires,
    logs,
    until: async (to) => {
      await vi.advanceTimersByTimeAsync(Date.parse(to) - Date.now());
      await service.drain();
    },
    stop: async () => {
      await scheduler.stop();
      await service.drain();
      await store.close();
    },
  };
}

/** The threads opened for a local date. */
const threadsOf = (r: Run, localDate: string) => r.port.threads.filter((t) => t.name === `Hackathon ${localDate}`);

describe('a daily 02:30 Europe/Berlin series, node-cron firing on its own', () => {
  it('an ordinary day (2026-10-24): node-cron opens it at 02:30 CEST, once; the notes say +02:00', async () => {
    run = await startAt('2026-10-23T12:00:00Z', { durationMinutes: 60 });
    await run.until('2026-10-24T00:29:59Z');
    expect(threadsOf(run, '2026-10-24')).toHaveLength(0);
    // The next open is an ordinary one: node-cron's, and no timer of Scribe's opens it.
    expect(run.scheduler.armed().map((a) => a.kind)).toEqual(['look-ahead']);

    await run.until('2026-10-24T00:30:00Z');
    expect(run.cronFires).toEqual(['2026-10-24T00:30:00.000Z']);
    expect(threadsOf(run, '2026-10-24')).toHaveLength(1);
    expect(await run.store.meetings.get('hackathon/2026-10-24')).toMatchObject({
      status: 'open',
      openedAt: '2026-10-24T00:30:00.000Z',
      opensAt: '2026-10-24T00:30:00.000Z',
      endsAt: '2026-10-24T01:30:00.000Z',
    });
    expect((await run.service.compile('hackathon/2026-10-24')).notes.datetime).toBe('2026-10-24T02:30:00+02:00');

    await run.until('2026-10-24T23:00:00Z');
    expect(threadsOf(run, '2026-10-24')).toHaveLength(1);
    expect(await run.store.meetings.get('hackathon/2026-10-24')).toMatchObject({ status: 'ended', endedAt: '2026-10-24T01:30:00.000Z' });
  });

  it.each([60, 240])(
    'the fall-back day (2026-10-25), %i minutes: opens at the first 02:30 (00:30Z), once; node-cron’s second 02:30 opens nothing; the notes say +02:00',
    async (durationMinutes) => {
      run = await startAt('2026-10-24T12:00:00Z', { durationMinutes });
      // node-cron will fire the second 02:30 only: Scribe arms the first itself.
      expect(run.scheduler.armed()).toContainEqual({ seriesId: 'hackathon', kind: 'open', at: new Date('2026-10-25T00:30:00Z') });
      await run.until('2026-10-25T00:29:59Z');
      expect(threadsOf(run, '2026-10-25')).toHaveLength(0);

      await run.until('2026-10-25T00:30:00Z');
      expect(run.cronFires).toEqual([]);
      expect(threadsOf(run, '2026-10-25')).toHaveLength(1);
      const endsAt = new Date(Date.parse('2026-10-25T00:30:00Z') + durationMinutes * MINUTE).toISOString();
      expect(await run.store.meetings.get('hackathon/2026-10-25')).toMatchObject({
        status: 'open',
        openedAt: '2026-10-25T00:30:00.000Z',
        opensAt: '2026-10-25T00:30:00.000Z',
        opensAtLocalTime: '02:30:00',
        endsAt,
      });

      // The second 02:30: node-cron fires on its own; no second thread, no second welcome.
      await run.until('2026-10-25T01:30:00Z');
      expect(run.cronFires).toEqual(['2026-10-25T01:30:00.000Z']);
      await run.until('2026-10-25T23:00:00Z');
      expect(run.port.threads).toHaveLength(1);
      expect(run.port.messages.filter((m) => m.content.startsWith('Welcome'))).toHaveLength(1);
      expect(await run.store.meetings.get('hackathon/2026-10-25')).toMatchObject({ status: 'ended', endedAt: endsAt });
      expect((await run.service.compile('hackathon/2026-10-25')).notes.datetime).toBe('2026-10-25T02:30:00+02:00');
      if (durationMinutes === 60) expect(run.logs).toContain('cron fired outside any scheduled window; nothing to open');

      // The next day is an ordinary one again: node-cron's, at 02:30 CET.
      await run.until('2026-10-26T01:30:00Z');
      expect(run.cronFires).toEqual(['2026-10-25T01:30:00.000Z', '2026-10-26T01:30:00.000Z']);
      expect((await run.service.compile('hackathon/2026-10-26')).notes.datetime).toBe('2026-10-26T02:30:00+01:00');
      expect(run.port.threads).toHaveLength(2);
    },
  );

  it('the fall-back day, started between the two 02:30s: catch-up opens the first’s meeting; the second opens nothing', async () => {
    run = await startAt('2026-10-25T01:10:00Z', { durationMinutes: 240 });
    expect(threadsOf(run, '2026-10-25')).toHaveLength(1);
    await run.until('2026-10-25T06:00:00Z');
    expect(run.cronFires).toEqual(['2026-10-25T01:30:00.000Z']);
    expect(run.port.threads).toHaveLength(1);
    expect(await run.store.meetings.get('hackathon/2026-10-25')).toMatchObject({
      openedAt: '2026-10-25T01:10:00.000Z',
      endedAt: '2026-10-25T04:30:00.000Z',
    });
    expect((await run.service.compile('hackathon/2026-10-25')).notes.datetime).toBe('2026-10-25T02:30:00+02:00');
  });

  it('the spring-forward day (2026-03-29): node-cron skips it; Scribe opens at 03:30 CEST (01:30Z), once; the notes say 03:30:00+02:00', async () => {
    run = await startAt('2026-03-27T12:00:00Z', { durationMinutes: 60 });
    await run.until('2026-03-28T01:30:00Z');
    expect(run.cronFires).toEqual(['2026-03-28T01:30:00.000Z']);
    expect((await run.service.compile('hackathon/2026-03-28')).notes.datetime).toBe('2026-03-28T02:30:00+01:00');
    await run.until('2026-03-28T01:30:01Z');
    expect(run.scheduler.armed()).toContainEqual({ seriesId: 'hackathon', kind: 'open', at: new Date('2026-03-29T01:30:00Z') });

    await run.until('2026-03-29T01:29:59Z');
    expect(threadsOf(run, '2026-03-29')).toHaveLength(0);
    await run.until('2026-03-29T01:30:00Z');
    expect(threadsOf(run, '2026-03-29')).toHaveLength(1);
    expect(await run.store.meetings.get('hackathon/2026-03-29')).toMatchObject({
      status: 'open',
      openedAt: '2026-03-29T01:30:00.000Z',
      opensAt: '2026-03-29T01:30:00.000Z',
      opensAtLocalTime: '03:30:00',
      endsAt: '2026-03-29T02:30:00.000Z',
    });

    await run.until('2026-03-30T00:30:00Z');
    // node-cron fired nothing on the 29th; the 30th is its again, at 02:30 CEST.
    expect(run.cronFires).toEqual(['2026-03-28T01:30:00.000Z', '2026-03-30T00:30:00.000Z']);
    expect(threadsOf(run, '2026-03-29')).toHaveLength(1);
    expect(await run.store.meetings.get('hackathon/2026-03-29')).toMatchObject({ status: 'ended', endedAt: '2026-03-29T02:30:00.000Z' });
    expect((await run.service.compile('hackathon/2026-03-29')).notes.datetime).toBe('2026-03-29T03:30:00+02:00');
    expect((await run.service.compile('hackathon/2026-03-30')).notes.datetime).toBe('2026-03-30T02:30:00+02:00');
    expect(run.port.threads).toHaveLength(3);
  });
});

describe('America/New_York, where node-cron fires the first of a fall-back day’s two 01:30s', () => {
  it('node-cron and Scribe’s own open fire at the same instant (2026-11-01 05:30Z): one meeting, notes at -04:00', async () => {
    run = await startAt('2026-10-31T12:00:00Z', { open: '30 1 * * *', timeZone: 'America/New_York', durationMinutes: 60 });
    expect(run.scheduler.armed()).toContainEqual({ seriesId: 'hackathon', kind: 'open', at: new Date('2026-11-01T05:30:00Z') });
    await run.until('2026-11-01T12:00:00Z');
    expect(run.cronFires).toEqual(['2026-11-01T05:30:00.000Z']);
    expect(run.port.threads.map((t) => t.name)).toEqual(['Hackathon 2026-11-01']);
    expect(run.port.messages.filter((m) => m.content.startsWith('Welcome'))).toHaveLength(1);
    expect(await run.store.meetings.get('hackathon/2026-11-01')).toMatchObject({ openedAt: '2026-11-01T05:30:00.000Z', endedAt: '2026-11-01T06:30:00.000Z' });
    expect((await run.service.compile('hackathon/2026-11-01')).notes.datetime).toBe('2026-11-01T01:30:00-04:00');
  });
});

describe('the notes checker on the days Europe/Berlin changes its clocks', () => {
  const offsetFindings = (datetime: string) =>
    checkNotes(`---\ndatetime: ${datetime}\nlocation: x\nteams:\n  - a\nparticipants:\n  - A\n---\n`, { timeZone: 'Europe/Berlin' }).filter(
      (f) => f.code === 'utc-offset',
    );

  it('takes either occurrence of a fall-back day’s repeated hour, and Scribe’s datetimes on both days', () => {
    expect(offsetFindings('2026-10-25T02:30:00+02:00')).toEqual([]);
    expect(offsetFindings('2026-10-25T02:30:00+01:00')).toEqual([]);
    expect(offsetFindings('2026-03-29T03:30:00+02:00')).toEqual([]);
  });

  it('still refuses an offset the zone never has that day, and a time the gap skips', () => {
    expect(offsetFindings('2026-10-25T02:30:00+03:00').map((f) => f.message)).toEqual([
      'UTC offset +03:00 is wrong for Europe/Berlin on 2026-10-25 (it is +02:00): write 2026-10-25T02:30:00+02:00',
    ]);
    expect(offsetFindings('2026-10-25T03:30:00+02:00')).toHaveLength(1);
    expect(offsetFindings('2026-03-29T02:30:00+01:00').map((f) => f.message)).toEqual([
      '02:30:00 does not exist in Europe/Berlin on 2026-03-29 (clocks skip it): write 2026-03-29T03:30:00+02:00',
    ]);
  });
});
