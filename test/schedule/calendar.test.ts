import nodeCron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  addDays,
  fireDayFilter,
  nextOpen,
  nextScheduledOpen,
  openWindowAt,
  previousOpen,
  reminderAt,
  scheduledOpenOn,
  scheduledOpensOn,
  type ScheduleSpec,
  type WallTime,
} from '../../src/schedule/calendar.ts';
import { instantOf, occurrencesOf, zonedParts } from '../../src/notes/datetime.ts';

const saturday: ScheduleSpec = { open: '0 9 * * 6', timeZone: 'Europe/Berlin', durationMinutes: 240, remindBeforeEndMinutes: 30 };
const at = (iso: string) => new Date(iso);
const iso = (d: Date | undefined) => d?.toISOString();

describe('Europe/Berlin across the 2022-03-27 change', () => {
  it('opens at 09:00 local on both sides: 08:00Z in winter time, 07:00Z in summer time', () => {
    expect(iso(nextOpen(saturday, at('2022-03-20T00:00:00Z')))).toBe('2022-03-26T08:00:00.000Z');
    expect(iso(nextOpen(saturday, at('2022-03-26T08:00:00Z')))).toBe('2022-04-02T07:00:00.000Z');
    expect(iso(previousOpen(saturday, at('2022-04-02T07:00:00Z')))).toBe('2022-04-02T07:00:00.000Z');
    expect(iso(previousOpen(saturday, at('2022-04-02T06:59:59Z')))).toBe('2022-03-26T08:00:00.000Z');
  });

  it('on the day of the change itself (a Sunday series)', () => {
    const sunday = { ...saturday, open: '0 9 * * 0' };
    expect(iso(nextOpen(sunday, at('2022-03-26T12:00:00Z')))).toBe('2022-03-27T07:00:00.000Z');
    expect(iso(nextOpen(sunday, at('2022-10-29T12:00:00Z')))).toBe('2022-10-30T08:00:00.000Z');
  });

  it('a local time inside the spring-forward gap opens past the gap (03:30 CEST), as the README documents', () => {
    const early = { ...saturday, open: '30 2 * * *' };
    expect(iso(nextOpen(early, at('2022-03-26T12:00:00Z')))).toBe('2022-03-27T01:30:00.000Z');
    expect(scheduledOpenOn(early, '2022-03-27')).toEqual({ instant: at('2022-03-27T01:30:00Z'), localTime: '02:30:00', wall: 'skipped' });
    expect(openWindowAt(early, at('2022-03-27T01:30:00Z'))?.localDate).toBe('2022-03-27');
    expect(openWindowAt(early, at('2022-03-27T01:29:59Z'))).toBeUndefined();
    expect(iso(nextOpen(early, at('2022-03-27T01:30:00Z')))).toBe('2022-03-28T00:30:00.000Z');
    // Falling back, 02:30 happens twice; the first is the open.
    expect(iso(nextOpen(early, at('2022-10-29T12:00:00Z')))).toBe('2022-10-30T00:30:00.000Z');
    expect(scheduledOpenOn(early, '2022-10-30')?.wall).toBe('twice');
    expect(iso(nextOpen(early, at('2022-10-30T00:30:00Z')))).toBe('2022-10-31T01:30:00.000Z');
    expect(scheduledOpenOn(early, '2022-10-31')?.wall).toBe('once');
  });

  it('a gap day is one the expression’s day fields allow: not on another weekday, nor on a day a token rules out', () => {
    // 2022-03-27 is a Sunday.
    expect(scheduledOpenOn({ ...saturday, open: '30 2 * * 6' }, '2022-03-27')).toBeUndefined();
    expect(scheduledOpenOn({ ...saturday, open: '30 2 * * 0L' }, '2022-03-27')?.wall).toBe('skipped');
    expect(scheduledOpenOn({ ...saturday, open: '0 30 2 * * 0#3' }, '2022-03-27')).toBeUndefined();
    expect(scheduledOpenOn({ ...saturday, open: '0 30 2 * * 0#4' }, '2022-03-27')?.instant).toEqual(at('2022-03-27T01:30:00Z'));
    // 02:15 past the gap is 03:15, which the expression also lists: one open, node-cron's (it exists).
    expect(scheduledOpenOn({ ...saturday, open: '15,45 2,3 27 3 *' }, '2022-03-27')).toEqual({
      instant: at('2022-03-27T01:15:00Z'),
      localTime: '03:15:00',
      wall: 'once',
    });
  });

  it('the local date, not the UTC date, decides the day', () => {
    // 23:30Z on Friday is already 00:30 on Saturday in Berlin.
    const midnight = { ...saturday, open: '45 0 * * 6' };
    expect(iso(nextOpen(midnight, at('2022-03-25T23:30:00Z')))).toBe('2022-03-25T23:45:00.000Z');
    expect(openWindowAt(midnight, at('2022-03-26T00:00:00Z'))?.localDate).toBe('2022-03-26');
  });
});

describe('openWindowAt', () => {
  it('is the meeting open now, with its local date, for start-up catch-up', () => {
    expect(openWindowAt(saturday, at('2022-03-19T07:59:59Z'))).toBeUndefined();
    expect(openWindowAt(saturday, at('2022-03-19T08:00:00Z'))).toEqual({
      localDate: '2022-03-19',
      opensAt: at('2022-03-19T08:00:00Z'),
      endsAt: at('2022-03-19T12:00:00Z'),
    });
    expect(openWindowAt(saturday, at('2022-04-02T10:59:59Z'))?.endsAt).toEqual(at('2022-04-02T11:00:00Z'));
    expect(openWindowAt(saturday, at('2022-04-02T11:00:00Z'))).toBeUndefined();
  });

  it('scheduledOpenOn gives the cron’s local time on a date, or nothing on other days', () => {
    expect(scheduledOpenOn(saturday, '2022-04-02')).toEqual({ instant: at('2022-04-02T07:00:00Z'), localTime: '09:00:00', wall: 'once' });
    expect(scheduledOpenOn(saturday, '2022-04-03')).toBeUndefined();
    expect(scheduledOpenOn({ ...saturday, open: '0 30 17 * * 1,3' }, '2022-03-23')?.localTime).toBe('17:30:00');
    expect(reminderAt(saturday, at('2022-04-02T11:00:00Z'))).toEqual(at('2022-04-02T10:30:00Z'));
    expect(reminderAt({ ...saturday, remindBeforeEndMinutes: undefined }, at('2022-04-02T11:00:00Z'))).toBeUndefined();
  });

  it('an expression that does not fire within eight years has no next open', () => {
    // February 29th on a Monday: 2044 after 2022.
    expect(nextOpen({ ...saturday, open: '0 9 29 2 1' }, at('2022-03-19T00:00:00Z'))).toBeUndefined();
    expect(iso(nextOpen({ ...saturday, open: '0 9 29 2 1' }, at('2043-03-19T00:00:00Z')))).toBe('2044-02-29T08:00:00.000Z');
  });

  it('leaves no node-cron task behind', () => {
    const before = nodeCron.getTasks().size;
    nextOpen(saturday, at('2022-03-19T00:00:00Z'));
    openWindowAt(saturday, at('2022-03-19T09:00:00Z'));
    expect(nodeCron.getTasks().size).toBe(before);
  });
});

describe('agrees with node-cron’s own next run', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  // [open, zone, the kinds of day the instants below reach]
  const cases: [string, string, WallTime[]][] = [
    ['0 9 * * 6', 'Europe/Berlin', ['once']],
    // Daily at a time inside both of 2022's changes: the gap day (node-cron skips it) and the overlap day.
    ['30 2 * * *', 'Europe/Berlin', ['once', 'skipped', 'twice']],
    ['30 1 * * *', 'America/New_York', ['once', 'twice']],
    ['30 2 * * *', 'America/New_York', ['once', 'skipped']],
    ['15 1 * * 0', 'America/New_York', ['once', 'twice']],
    ['0 17 1-7 * 1', 'Australia/Sydney', ['once']],
    ['*/20 3 * * *', 'Europe/London', ['once']],
    ['* * * * *', 'Europe/Berlin', ['once']],
    ['15 */3 * * 1-5', 'America/New_York', ['once']],
  ];
  // Instants spread over both 2022 changes in every zone above, and the eves of Berlin's and New York's.
  const instants = [
    ...Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2022, 0, 1) + i * 6.1 * 86_400_000 + i * 3_913_000)),
    ...['2022-03-26T12:00:00Z', '2022-10-29T12:00:00Z', '2022-03-12T12:00:00Z', '2022-11-05T12:00:00Z'].map(at),
  ];

  it.each(cases)('%s in %s: the same instant on an ordinary day, later on a gap day, one of the two on an overlap day', (open, timeZone, kinds) => {
    const task = nodeCron.createTask(open, () => undefined, { timezone: timeZone });
    const seen = new Set<WallTime>();
    try {
      for (const now of instants) {
        vi.useFakeTimers({ toFake: ['Date'] });
        vi.setSystemTime(now);
        const theirs = task.getNextRuns(1)[0]?.getTime() ?? NaN;
        vi.useRealTimers();
        const ours = nextScheduledOpen({ open, timeZone, durationMinutes: 60 }, now);
        const why = `${open} ${timeZone} after ${now.toISOString()}`;
        if (!ours) throw new Error(`no open: ${why}`);
        seen.add(ours.wall);
        const date = zonedParts(ours.instant, timeZone).date;
        if (ours.wall === 'once') expect(theirs, why).toBe(ours.instant.getTime());
        if (ours.wall === 'skipped') expect(zonedParts(new Date(theirs), timeZone).date > date, why).toBe(true);
        if (ours.wall === 'twice') {
          expect(
            occurrencesOf(date, ours.localTime, timeZone).map((d) => d.getTime()),
            why,
          ).toContain(theirs);
          expect(ours.instant, why).toEqual(occurrencesOf(date, ours.localTime, timeZone)[0]);
        }
      }
    } finally {
      vi.useRealTimers();
      void task.destroy();
    }
    expect([...seen].sort()).toEqual([...kinds].sort());
  });
});

describe('an expression with many times a day', () => {
  const every: ScheduleSpec = { open: '* * * * *', timeZone: 'Europe/Berlin', durationMinutes: 60 };
  /** Our opens on `day`, as instants. */
  const opensOn = (day: string): number[] => scheduledOpensOn(every, day).map((open) => open.instant.getTime());
  /** The minutes node-cron matches whose local date is `day`. */
  const cronMinutesOn = (day: string): number[] => {
    const task = nodeCron.createTask(every.open, () => undefined, { timezone: every.timeZone });
    try {
      const start = Date.parse(`${day}T00:00:00Z`) - 3 * 3_600_000;
      return Array.from({ length: 30 * 60 }, (_, i) => start + i * 60_000).filter(
        (ms) => zonedParts(new Date(ms), every.timeZone).date === day && task.match(new Date(ms)),
      );
    } finally {
      void task.destroy();
    }
  };

  it('every minute: on an ordinary day and the spring-forward day, exactly the minutes node-cron matches', () => {
    for (const day of ['2022-06-15', '2022-03-27']) {
      const ours = opensOn(day);
      expect(ours, day).toEqual(cronMinutesOn(day));
      expect(ours.length, day).toBe(day === '2022-03-27' ? 23 * 60 : 24 * 60);
    }
  });

  it('every minute on the fall-back day: the repeated hour opens once, at its first occurrence', () => {
    const ours = opensOn('2022-10-30');
    const cron = cronMinutesOn('2022-10-30');
    expect(cron).toHaveLength(25 * 60);
    // 02:00 to 02:59 CET (the second time round) are the 60 minutes node-cron matches and we do not.
    const secondRound = cron.filter((ms) => ms >= Date.parse('2022-10-30T01:00:00Z') && ms < Date.parse('2022-10-30T02:00:00Z'));
    expect(secondRound).toHaveLength(60);
    expect(ours).toEqual(cron.filter((ms) => !secondRound.includes(ms)));
  });
});

describe('fireDayFilter: days skipped without computing their instants', () => {
  const expressions = [
    '0 3 1 1 *',
    '0 9 * * 6',
    '0 9 * * 7',
    '0 9 * * 5-7',
    '0 9 1-7 * 6',
    '0 9 */2 2 *',
    '0 9 29 2 *',
    '30 2 * 3,10 0',
    '0 9 L * *',
    '0 9 15W * *',
    '0 9 * * 1#2',
    '0 9 * * 5L',
    '0 9 L-2 * *',
  ];
  const days: string[] = [];
  for (let day = '2023-12-25'; day <= '2025-01-07'; day = addDays(day, 1)) days.push(day);

  it.each(expressions)('%s: no day it skips has a time node-cron matches', (open) => {
    const fields = nodeCron.parse(open);
    const filter = fireDayFilter(fields);
    const task = nodeCron.createTask(open, () => undefined, { timezone: 'Europe/Berlin' });
    const hour = fields.hour[0] ?? 0;
    const minute = fields.minute[0] ?? 0;
    const time = `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}:00`;
    try {
      const matching = days.filter((day) => task.match(instantOf(day, time, 'Europe/Berlin')));
      expect(matching.length).toBeGreaterThan(0);
      expect(matching.filter((day) => !filter(day))).toEqual([]);
    } finally {
      void task.destroy();
    }
  });

  it('keeps only the days a plain list allows; a token leaves every day to node-cron', () => {
    const kept = (open: string) => days.filter(fireDayFilter(nodeCron.parse(open)));
    expect(kept('0 3 1 1 *')).toEqual(['2024-01-01', '2025-01-01']);
    expect(kept('0 9 29 2 *')).toEqual(['2024-02-29']);
    expect(kept('0 9 1-7 * 6')).toHaveLength(13);
    expect(kept('0 9 * * 7').every((day) => new Date(`${day}T12:00:00Z`).getUTCDay() === 0)).toBe(true);
    expect(kept('0 9 L * *')).toHaveLength(days.length);
    expect(kept('0 9 * * 1#2')).toHaveLength(days.length);
  });

  it('a yearly series still finds its open a year back and ahead', () => {
    const yearly: ScheduleSpec = { open: '0 3 1 1 *', timeZone: 'Europe/Berlin', durationMinutes: 240 };
    expect(iso(previousOpen(yearly, at('2026-11-28T12:00:00Z')))).toBe('2026-01-01T02:00:00.000Z');
    expect(iso(nextOpen(yearly, at('2026-11-28T12:00:00Z')))).toBe('2027-01-01T02:00:00.000Z');
  });
});
