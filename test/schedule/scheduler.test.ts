import { afterEach, describe, expect, it } from 'vitest';
import { parseUpdate } from '../../src/notes/bullets.ts';
import { MeetingService } from '../../src/meetings/service.ts';
import { Scheduler } from '../../src/schedule/scheduler.ts';
import type { Timers } from '../../src/schedule/timers.ts';
import { hackathon, member, subject, VOICE, world, type World } from '../meetings/helpers.ts';

/** Timers that fire only when the test says so. */
class ManualTimers implements Timers {
  readonly pending = new Map<number, { callback: () => void; ms: number }>();
  #next = 0;
  set(callback: () => void, ms: number): unknown {
    this.#next += 1;
    this.pending.set(this.#next, { callback, ms });
    return this.#next;
  }
  clear(handle: unknown): void {
    this.pending.delete(handle as number);
  }
  /** Runs every pending timer. */
  fireAll(): void {
    const due = [...this.pending.values()];
    this.pending.clear();
    for (const t of due) t.callback();
  }
}

let w: World;
let scheduler: Scheduler | undefined;
afterEach(async () => {
  await scheduler?.stop();
  scheduler = undefined;
  await w?.close();
});

/** The armed timers but the look-ahead for the next clock-change day, which every running schedule has. */
const meetingTimers = (s: Scheduler) =>
  s
    .armed()
    .filter((a) => a.kind !== 'look-ahead')
    .map((a) => [a.kind, a.at.toISOString()])
    .sort();

const settle = async (s: World) => {
  // Timer callbacks start promises; let them run, then wait for the meeting queues.
  await new Promise((resolve) => setTimeout(resolve, 0));
  await s.service.drain();
};

describe('the cron job of a series', () => {
  it.each([
    ['2022-03-26', '2022-03-26T08:00:00Z', '2022-03-26T09:00:00+01:00', '2022-03-26T12:00:00.000Z'],
    ['2022-04-02', '2022-04-02T07:00:00Z', '2022-04-02T09:00:00+02:00', '2022-04-02T11:00:00.000Z'],
  ])('opens the %s meeting at 09:00 Berlin time; the notes carry that day’s offset', async (localDate, instant, datetime, endsAt) => {
    w = await world({ start: instant });
    const timers = new ManualTimers();
    scheduler = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers });
    await scheduler.start();
    const task = scheduler.task('hackathon');
    expect(task?.match(new Date(instant))).toBe(true);
    expect(task?.match(new Date(Date.parse(instant) + 3_600_000))).toBe(false);
    expect(task?.match(new Date(Date.parse(instant) - 3_600_000))).toBe(false);

    // start() caught up already (the clock is at the open); the cron firing again changes nothing.
    await task?.execute();
    await settle(w);
    expect(w.port.threads).toHaveLength(1);
    const meeting = await w.store.meetings.get(`hackathon/${localDate}`);
    expect(meeting).toMatchObject({ status: 'open', endsAt });
    expect((await w.service.compile(`hackathon/${localDate}`)).notes.datetime).toBe(datetime);
    expect(meetingTimers(scheduler)).toEqual([
      ['end', endsAt],
      ['reminder', new Date(Date.parse(endsAt) - 30 * 60_000).toISOString()],
    ]);
  });

  it('fired by node-cron at the open, reminds before the end and ends on time', async () => {
    w = await world({ start: '2022-03-26T07:59:00Z' });
    const timers = new ManualTimers();
    scheduler = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers });
    await scheduler.start();
    expect(w.port.threads).toHaveLength(0);

    w.port.voice.set(VOICE, [member('1', 'Ana'), member('2', 'Bo')]);
    w.clock.set('2022-03-26T08:00:00Z');
    await scheduler.task('hackathon')?.execute();
    await settle(w);
    await w.service.recordUpdate('hackathon/2022-03-26', { subject: subject('2', 'Bo'), update: parseUpdate('b'), authorId: '2' });

    w.clock.set('2022-03-26T11:30:00Z');
    const reminder = [...timers.pending.values()].find((t) => t.ms === 3.5 * 3_600_000); // armed at 08:00 for 11:30
    expect(reminder).toBeDefined();
    reminder?.callback();
    await settle(w);
    expect(w.port.messages.at(-1)?.allowedUserMentions).toEqual(['1']);

    w.clock.set('2022-03-26T12:00:00Z');
    timers.fireAll();
    await settle(w);
    const meeting = await w.store.meetings.get('hackathon/2022-03-26');
    expect(meeting).toMatchObject({ status: 'ended', endedAt: '2022-03-26T12:00:00.000Z', summaryRevision: 1 });
    expect(w.port.threads[0]?.archived).toBe(true);
  });
});

describe('opens node-cron does not fire (clock-change days)', () => {
  it('fired a moment early, Scribe’s own open opens nothing yet and is armed again for its instant', async () => {
    w = await world({ start: '2026-03-28T12:00:00Z', series: hackathon({ open: '30 2 * * *', durationMinutes: 60 }) });
    const timers = new ManualTimers();
    scheduler = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers });
    await scheduler.start();
    const own = [{ seriesId: 'hackathon', kind: 'open', at: new Date('2026-03-29T01:30:00Z') }];
    expect(scheduler.armed()).toEqual(own);

    w.clock.set('2026-03-29T01:29:59.999Z');
    timers.fireAll();
    await settle(w);
    expect(w.port.threads).toHaveLength(0);
    expect(scheduler.armed()).toEqual(own);

    w.clock.set('2026-03-29T01:30:00Z');
    timers.fireAll();
    await settle(w);
    expect(w.port.threads.map((t) => t.name)).toEqual(['Hackathon 2026-03-29']);
    expect(await w.store.meetings.get('hackathon/2026-03-29')).toMatchObject({ openedAt: '2026-03-29T01:30:00.000Z', endsAt: '2026-03-29T02:30:00.000Z' });
  });
});

describe('start-up catch-up', () => {
  it('opens a meeting missed while the bot was down if its window is still open', async () => {
    w = await world({ start: '2022-03-19T10:15:00Z' });
    scheduler = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers: new ManualTimers() });
    await scheduler.start();
    const meeting = await w.store.meetings.get('hackathon/2022-03-19');
    expect(meeting).toMatchObject({ status: 'open', endsAt: '2022-03-19T12:00:00.000Z' });
    expect((await w.service.compile('hackathon/2022-03-19')).notes.datetime).toBe('2022-03-19T09:00:00+01:00');
  });

  it('does nothing outside a window', async () => {
    w = await world({ start: '2022-03-19T12:00:00Z' });
    scheduler = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers: new ManualTimers() });
    await scheduler.start();
    expect(w.port.calls).toEqual([]);
    // Only a look at the calendar again in a day (the next open, a week away, is node-cron's).
    expect(scheduler.armed()).toEqual([{ seriesId: 'hackathon', kind: 'look-ahead', at: new Date('2022-03-20T12:00:00Z') }]);
  });

  it('after a restart mid-meeting: no second thread, updates kept, attendance re-synced, ends on time', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    w.port.voice.set(VOICE, [member('1', 'Ana')]);
    const first = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers: new ManualTimers() });
    await first.start();
    await w.service.recordUpdate('hackathon/2022-03-19', { subject: subject('1', 'Ana'), update: parseUpdate('a'), authorId: '1' });
    await first.stop();

    // Down for an hour; Ana left meanwhile, Bo came.
    w.clock.set('2022-03-19T09:00:00Z');
    w.port.voice.set(VOICE, [member('2', 'Bo')]);
    const service = w.restart();
    const timers = new ManualTimers();
    scheduler = new Scheduler({ meetings: service, clock: w.clock, series: [w.series], timers });
    await scheduler.start();
    expect(w.port.threads).toHaveLength(1);
    expect((await w.store.updates.list('hackathon/2022-03-19')).map((u) => u.userId)).toEqual(['1']);
    const attendance = await w.store.attendance.get('hackathon/2022-03-19');
    expect(attendance?.attendees.map((a) => [a.userId, a.intervals])).toEqual([
      ['1', [{ from: '2022-03-19T08:00:00.000Z', to: '2022-03-19T09:00:00.000Z' }]],
      ['2', [{ from: '2022-03-19T09:00:00.000Z' }]],
    ]);
    expect(
      scheduler
        .armed()
        .find((a) => a.kind === 'end')
        ?.at.toISOString(),
    ).toBe('2022-03-19T12:00:00.000Z');
  });

  it('ends a meeting whose end passed while the bot was down, at its scheduled end', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    await w.service.openMeeting(w.series, '2022-03-19');
    w.clock.set('2022-03-19T15:00:00Z');
    scheduler = new Scheduler({ meetings: w.restart(), clock: w.clock, series: [w.series], timers: new ManualTimers() });
    await scheduler.start();
    expect(await w.store.meetings.get('hackathon/2022-03-19')).toMatchObject({ status: 'ended', endedAt: '2022-03-19T12:00:00.000Z' });
  });

  it('retries a failed open while the window is open', async () => {
    w = await world({ start: '2022-03-19T08:00:00Z' });
    const timers = new ManualTimers();
    let failures = 1;
    const flaky = {
      openMeeting: async (...args: Parameters<typeof w.service.openMeeting>) => {
        if (failures-- > 0) throw new Error('Discord 503');
        return w.service.openMeeting(...args);
      },
      endMeeting: (key: string) => w.service.endMeeting(key),
      sendReminder: (key: string) => w.service.sendReminder(key),
      currentMeeting: (s: typeof w.series) => w.service.currentMeeting(s),
      syncAttendance: (key: string) => w.service.syncAttendance(key),
    };
    scheduler = new Scheduler({ meetings: flaky, clock: w.clock, series: [w.series], timers, retryMs: 30_000 });
    await scheduler.onOpen(w.series);
    expect(scheduler.armed()).toEqual([{ seriesId: 'hackathon', kind: 'retry-open', at: new Date('2022-03-19T08:00:30Z') }]);
    w.clock.set('2022-03-19T08:00:30Z');
    timers.fireAll();
    await settle(w);
    expect((await w.store.meetings.get('hackathon/2022-03-19'))?.status).toBe('open');
  });

  it('arms the end of a meeting opened by hand', async () => {
    w = await world({ start: '2022-03-23T16:00:00Z' });
    scheduler = new Scheduler({ meetings: w.service, clock: w.clock, series: [w.series], timers: new ManualTimers() });
    await scheduler.start();
    expect(meetingTimers(scheduler)).toEqual([]);
    const { meeting } = await w.service.openMeeting(w.series);
    scheduler.meetingOpened(w.series, meeting);
    expect(meetingTimers(scheduler)).toEqual([
      ['end', '2022-03-23T20:00:00.000Z'],
      ['reminder', '2022-03-23T19:30:00.000Z'],
    ]);
  });

  it('series of the same open and time zone share one cron job, which opens each of them', async () => {
    w = await world({ start: '2022-03-19T07:00:00Z' });
    const same = hackathon({ id: 'same', textChannel: '100000000000000013' });
    const later = hackathon({ id: 'later', open: '0 10 * * 6', textChannel: '100000000000000023' });
    const service = new MeetingService({ store: w.store, port: w.port, clock: w.clock, series: [w.series, same, later] });
    scheduler = new Scheduler({ meetings: service, clock: w.clock, series: [w.series, same, later], timers: new ManualTimers() });
    await scheduler.start();
    expect(scheduler.task('same')).toBe(scheduler.task('hackathon'));
    expect(scheduler.task('later')).toBeDefined();
    expect(scheduler.task('later')).not.toBe(scheduler.task('hackathon'));

    w.clock.set('2022-03-19T08:00:00Z'); // 09:00 in Berlin
    await scheduler.task('hackathon')?.execute();
    await service.drain();
    const opened = await Promise.all(['hackathon', 'same', 'later'].map((id) => w.store.meetings.get(`${id}/2022-03-19`)));
    expect(opened.map((meeting) => meeting?.status)).toEqual(['open', 'open', undefined]);
    expect(w.port.threads).toHaveLength(2);
  });

  it('schedules only the series of guilds this process owns', async () => {
    w = await world({ start: '2022-03-19T10:00:00Z' });
    const other = hackathon({ id: 'other', guild: '100000000000000009' });
    scheduler = new Scheduler({
      meetings: w.service,
      clock: w.clock,
      series: [w.series, other],
      timers: new ManualTimers(),
      ownsGuild: (g) => g === '100000000000000009',
    });
    await scheduler.start();
    expect(scheduler.task('hackathon')).toBeUndefined();
    expect(scheduler.task('other')).toBeDefined();
  });
});
