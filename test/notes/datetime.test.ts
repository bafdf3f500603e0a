import { describe, expect, it } from 'vitest';
import { instantOf, zonedDatetime, zonedParts } from '../../src/notes/datetime.ts';
import { NotesInputError } from '../../src/notes/errors.ts';

describe('zonedDatetime', () => {
  it.each([
    ['2022-03-19', '09:00', 'Europe/Berlin', '2022-03-19T09:00:00+01:00'],
    ['2022-04-09', '09:00', 'Europe/Berlin', '2022-04-09T09:00:00+02:00'],
    ['2022-03-19', '09:00', 'Europe/Bucharest', '2022-03-19T09:00:00+02:00'],
    ['2022-04-09', '09:00', 'Europe/Bucharest', '2022-04-09T09:00:00+03:00'],
    ['2022-01-01', '09:00:30', 'Asia/Kolkata', '2022-01-01T09:00:30+05:30'],
    ['2022-07-01', '18:45', 'America/St_Johns', '2022-07-01T18:45:00-02:30'],
    ['2022-01-01', '00:00', 'UTC', '2022-01-01T00:00:00+00:00'],
  ])('%s %s in %s is %s', (date, time, zone, expected) => {
    expect(zonedDatetime(date, time, zone)).toBe(expected);
  });

  it('moves a time in the spring-forward gap forward by the gap (America/New_York 2022-03-13)', () => {
    expect(zonedDatetime('2022-03-13', '02:00', 'America/New_York')).toBe('2022-03-13T03:00:00-04:00');
    expect(zonedDatetime('2022-03-13', '02:30', 'America/New_York')).toBe('2022-03-13T03:30:00-04:00');
    expect(zonedDatetime('2022-03-13', '01:59:59', 'America/New_York')).toBe('2022-03-13T01:59:59-05:00');
    expect(zonedDatetime('2022-03-13', '03:00', 'America/New_York')).toBe('2022-03-13T03:00:00-04:00');
  });

  it('takes the earlier instant of a time in the fall-back overlap (America/New_York 2022-11-06)', () => {
    expect(zonedDatetime('2022-11-06', '01:00', 'America/New_York')).toBe('2022-11-06T01:00:00-04:00');
    expect(zonedDatetime('2022-11-06', '01:30', 'America/New_York')).toBe('2022-11-06T01:30:00-04:00');
    expect(zonedDatetime('2022-11-06', '02:00', 'America/New_York')).toBe('2022-11-06T02:00:00-05:00');
    expect(instantOf('2022-11-06', '01:30', 'America/New_York').toISOString()).toBe('2022-11-06T05:30:00.000Z');
  });

  it('handles a skipped day (Pacific/Apia 2011-12-30) by the same gap rule', () => {
    expect(zonedDatetime('2011-12-30', '12:00', 'Pacific/Apia')).toBe('2011-12-31T12:00:00+14:00');
  });

  it('refuses unknown zones and impossible dates or times with NotesInputError', () => {
    for (const [args, code] of [
      [['2022-01-01', '09:00', 'Europe/Atlantis'], 'unknown-time-zone'],
      [['2022-02-30', '09:00', 'UTC'], 'invalid-date'],
      [['2022-1-01', '09:00', 'UTC'], 'invalid-date'],
      [['2022-01-01', '24:00', 'UTC'], 'invalid-time'],
      [['2022-01-01', '9:00', 'UTC'], 'invalid-time'],
    ] as const) {
      const [date, time, zone] = args;
      expect(() => zonedDatetime(date, time, zone)).toThrow(NotesInputError);
      try {
        zonedDatetime(date, time, zone);
      } catch (error) {
        expect((error as NotesInputError).code).toBe(code);
      }
    }
  });
});

describe('zonedParts', () => {
  it('gives the local date, time and offset of an instant', () => {
    expect(zonedParts(new Date('2022-03-27T00:59:59Z'), 'Europe/Berlin')).toEqual({ date: '2022-03-27', time: '01:59:59', offset: '+01:00' });
    expect(zonedParts(new Date('2022-03-27T01:00:00Z'), 'Europe/Berlin')).toEqual({ date: '2022-03-27', time: '03:00:00', offset: '+02:00' });
    expect(zonedParts(new Date('2022-12-31T23:30:00Z'), 'Asia/Tokyo')).toEqual({ date: '2023-01-01', time: '08:30:00', offset: '+09:00' });
  });

  it('agrees with instantOf for every hour of a DST year in Europe/Berlin (outside the gap)', () => {
    for (let h = 0; h < 365 * 24; h += 7) {
      const instant = new Date(Date.UTC(2022, 0, 1) + h * 3_600_000);
      const { date, time } = zonedParts(instant, 'Europe/Berlin');
      const back = instantOf(date, time, 'Europe/Berlin').getTime();
      // Inside the October overlap the earlier instant is chosen, one hour before.
      expect([instant.getTime(), instant.getTime() - 3_600_000]).toContain(back);
    }
  });
});
