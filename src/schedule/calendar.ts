/**
 * When a series' meetings happen, as pure functions of the series and an instant: the next and the
 * previous scheduled open, whether a meeting window is open now (start-up catch-up), and the scheduled
 * open on a given local date (the notes' datetime). node-cron's own matcher decides what matches, so
 * these agree with the jobs node-cron fires, daylight-saving changes included: a local time that does
 * not exist that day (inside a spring-forward gap) does not match, as in cron.
 */
import nodeCron from 'node-cron';
import { instantOf, zonedParts } from '../notes/datetime.ts';

/** The parts of a series these functions read (a config `Series` has them all). */
export interface ScheduleSpec {
  readonly open: string;
  readonly timeZone: string;
  readonly durationMinutes: number;
  readonly remindBeforeEndMinutes?: number | undefined;
}

export interface MeetingWindow {
  /** The meeting's local date in the series' zone: with the series id, the meeting's key. */
  readonly localDate: string;
  readonly opensAt: Date;
  readonly endsAt: Date;
}

/** How far the search for a matching day goes: eight years covers every Feb 29 and weekday combination. */
const SEARCH_DAYS = 366 * 8;
const MINUTE = 60_000;

interface Matcher {
  /** Local times of day the expression can fire at, ascending, as HH:MM:SS. */
  readonly times: readonly string[];
  /** False only for a local date on which nothing can match (see fireDayFilter). */
  mayFireOn(localDate: string): boolean;
  matches(instant: Date): boolean;
}

/** The values a field allows when it lists only numbers; undefined when it holds a token or allows all. */
function plainValues(field: readonly (number | string)[], all: number): ReadonlySet<number> | undefined {
  if (!field.every((value): value is number => typeof value === 'number')) return undefined;
  const values = new Set(field);
  return values.size >= all ? undefined : values;
}

const pad = (n: number): string => String(n).padStart(2, '0');

/**
 * For a parsed expression: false only for a local date on which nothing can match, because its month,
 * day of month or weekday is missing from a field that lists plain numbers (node-cron requires all
 * three; a field with a token such as L, W or # leaves the day to node-cron's matcher). A yearly or
 * monthly expression would otherwise cost a search through hundreds of days, instants computed for
 * each (tens of milliseconds at start-up).
 */
export function fireDayFilter(fields: ReturnType<typeof nodeCron.parse>): (localDate: string) => boolean {
  const months = plainValues(fields.month, 12);
  const daysOfMonth = plainValues(fields.dayOfMonth, 31);
  const weekdays = plainValues(fields.dayOfWeek, 7);
  return (localDate) => {
    const date = calendarDate(localDate);
    if (months && !months.has(date.getUTCMonth() + 1)) return false;
    if (daysOfMonth && !daysOfMonth.has(date.getUTCDate())) return false;
    return !weekdays || weekdays.has(date.getUTCDay());
  };
}

function withMatcher<T>(spec: ScheduleSpec, use: (matcher: Matcher) => T): T {
  const fields = nodeCron.parse(spec.open);
  const times: string[] = [];
  for (const hour of [...fields.hour].sort((a, b) => a - b)) {
    for (const minute of [...fields.minute].sort((a, b) => a - b)) {
      for (const second of [...fields.second].sort((a, b) => a - b)) times.push(`${pad(hour)}:${pad(minute)}:${pad(second)}`);
    }
  }
  const mayFireOn = fireDayFilter(fields);
  // A created task is registered but never started; it is only used for its matcher, then removed.
  const task = nodeCron.createTask(spec.open, () => undefined, { timezone: spec.timeZone });
  try {
    return use({ times, mayFireOn, matches: (instant) => task.match(instant) });
  } finally {
    void task.destroy();
  }
}

/** A `YYYY-MM-DD` date, `days` later, as midnight UTC: its UTC fields are the calendar's. */
function calendarDate(localDate: string, days = 0): Date {
  const [y, m, d] = localDate.split('-').map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, (d ?? 1) + days));
}

export function addDays(localDate: string, days: number): string {
  const date = calendarDate(localDate, days);
  return `${String(date.getUTCFullYear()).padStart(4, '0')}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** The scheduled opens on one local date, ascending (instants whose local date really is that date). */
function* opensOn(matcher: Matcher, localDate: string, timeZone: string): Generator<{ instant: Date; localTime: string }, void> {
  if (!matcher.mayFireOn(localDate)) return;
  for (const localTime of matcher.times) {
    const instant = instantOf(localDate, localTime, timeZone);
    if (matcher.matches(instant) && zonedParts(instant, timeZone).date === localDate) yield { instant, localTime };
  }
}

/** The first scheduled open strictly after `now`, or undefined when the expression never fires. */
export function nextOpen(spec: ScheduleSpec, now: Date): Date | undefined {
  return withMatcher(spec, (matcher) => {
    const today = zonedParts(now, spec.timeZone).date;
    for (let day = 0; day < SEARCH_DAYS; day++) {
      for (const open of opensOn(matcher, addDays(today, day), spec.timeZone)) {
        if (open.instant.getTime() > now.getTime()) return open.instant;
      }
    }
    return undefined;
  });
}

/** The last scheduled open at or before `now`, within the search range. */
export function previousOpen(spec: ScheduleSpec, now: Date): Date | undefined {
  return withMatcher(spec, (matcher) => {
    const today = zonedParts(now, spec.timeZone).date;
    for (let day = 0; day < SEARCH_DAYS; day++) {
      let last: Date | undefined;
      for (const open of opensOn(matcher, addDays(today, -day), spec.timeZone)) {
        if (open.instant.getTime() > now.getTime()) break;
        last = open.instant;
      }
      if (last) return last;
    }
    return undefined;
  });
}

/** The scheduled meeting whose window [open, open + duration) holds `now`, if any. */
export function openWindowAt(spec: ScheduleSpec, now: Date): MeetingWindow | undefined {
  const opensAt = previousOpen(spec, now);
  if (!opensAt) return undefined;
  const endsAt = new Date(opensAt.getTime() + spec.durationMinutes * MINUTE);
  if (now.getTime() >= endsAt.getTime()) return undefined;
  return { localDate: zonedParts(opensAt, spec.timeZone).date, opensAt, endsAt };
}

/** The first scheduled open on a local date and its local time, or undefined on a day without one. */
export function scheduledOpenOn(spec: ScheduleSpec, localDate: string): { instant: Date; localTime: string } | undefined {
  return withMatcher(spec, (matcher) => {
    const first = opensOn(matcher, localDate, spec.timeZone).next();
    return first.done ? undefined : first.value;
  });
}

/** When the reminder of a meeting ending at `endsAt` is due, when the series has one. */
export function reminderAt(spec: ScheduleSpec, endsAt: Date): Date | undefined {
  return spec.remindBeforeEndMinutes === undefined ? undefined : new Date(endsAt.getTime() - spec.remindBeforeEndMinutes * MINUTE);
}
