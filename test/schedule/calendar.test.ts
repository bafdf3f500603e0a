import nodeCron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { addDays, fireDayFilter, nextOpen, openWindowAt, previousOpen, reminderAt, scheduledOpenOn, type ScheduleSpec } from '../../src/schedule/calendar.ts';
import { instantOf } from '../../src/notes/datetime.ts';

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

  it('a local time inside the spring-forward gap does not exist that day, as in cron', () => {
    const early = { ...saturday, open: '30 2 * * *' };
    expect(iso(nextOpen(early, at('2022-03-26T12:00:00Z')))).toBe('2022-03-28T00:30:00.000Z');
    expect(scheduledOpenOn(early, '2022-03-27')).toBeUndefined();
    // Falling back, 02:30 happens twice; the first is the open.
    expect(iso(nextOpen(early, at('2022-10-29T12:00:00Z')))).toBe('2022-10-30T00:30:00.000Z');
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
    expect(scheduledOpenOn(saturday, '2022-04-02')).toEqual({ instant: at('2022-04-02T07:00:00Z'), localTime: '09:00:00' });
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

  const cases: [string, string][] = [
    ['0 9 * * 6', 'Europe/Berlin'],
    // January to June: through the spring-forward gap. (In a fall-back overlap node-cron fires at the
    // second 02:30 while the notes' datetime rule names the first; see the report.)
    ['30 2 * 1-6 *', 'Europe/Berlin'],
    ['15 1 * * 0', 'America/New_York'],
    ['0 17 1-7 * 1', 'Australia/Sydney'],
    ['*/20 3 * * *', 'Europe/London'],
  ];
  // Instants spread over both 2022 changes in every zone above.
  const instants = Array.from({ length: 60 }, (_, i) => new Date(Date.UTC(2022, 0, 1) + i * 6.1 * 86_400_000 + i * 3_913_000));

  it.each(cases)('%s in %s', (open, timeZone) => {
    const task = nodeCron.createTask(open, () => undefined, { timezone: timeZone });
    try {
      vi.useFakeTimers({ toFake: ['Date'] });
      for (const now of instants) {
        vi.setSystemTime(now);
        const theirs = task.getNextRuns(1)[0];
        vi.useRealTimers();
        expect(iso(nextOpen({ open, timeZone, durationMinutes: 60 }, now)), `${open} ${timeZone} after ${now.toISOString()}`).toBe(iso(theirs));
        vi.useFakeTimers({ toFake: ['Date'] });
      }
    } finally {
      vi.useRealTimers();
      void task.destroy();
    }
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
