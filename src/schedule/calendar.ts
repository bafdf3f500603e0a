/**
 * When a series' meetings happen, as pure functions of the series and an instant: the next and the
 * previous scheduled open, whether a meeting window is open now (start-up catch-up), and the scheduled
 * open on a given local date (the notes' datetime). node-cron's own matcher decides which days and
 * times match. On the days a zone changes its clocks the instant is the README's (RFC 5545) rule: a
 * local time inside a spring-forward gap opens past the gap (02:30 -> 03:30 CEST), one that happens
 * twice opens at the first. node-cron 4.6 differs on those days (it skips the gap's day and fires one
 * of the two, the second in Berlin): `wall` tells the scheduler which opens it must fire itself.
 */
import nodeCron from 'node-cron';
import { instantAtOffset, instantOf, occurrencesOf, steadyOffsetOn, zonedParts } from '../notes/datetime.ts';

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

/** How the scheduled local time occurs that day: once, twice (fall-back) or not at all (spring-forward). */
export type WallTime = 'once' | 'twice' | 'skipped';

export interface ScheduledOpen {
  readonly instant: Date;
  /** The expression's local time (HH:MM:SS); the instant's own local time differs on a skipped day. */
  readonly localTime: string;
  readonly wall: WallTime;
}

/** How far the search for a matching day goes: eight years covers every Feb 29 and weekday combination. */
const SEARCH_DAYS = 366 * 8;
const MINUTE = 60_000;

/** A schedule's matcher: the scheduler builds one per distinct `open` and time zone and reuses it. */
export interface Matcher {
  /** Local times of day the expression can fire at, ascending, as HH:MM:SS. */
  readonly times: readonly string[];
  /** False only for a local date on which nothing can match (see fireDayFilter). */
  mayFireOn(localDate: string): boolean;
  matches(instant: Date): boolean;
  /** Whether node-cron's day fields (day of month, month, weekday) match the local date of an instant. */
  dayMatches(instant: Date): boolean;
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

/**
 * Builds the matcher of a schedule; `close()` frees its node-cron tasks, which are registered with
 * node-cron but never started (they are only used for their `match`).
 */
export function scheduleMatcher(spec: Pick<ScheduleSpec, 'open' | 'timeZone'>): Matcher & { close(): void } {
  const fields = nodeCron.parse(spec.open);
  const times: string[] = [];
  for (const hour of [...fields.hour].sort((a, b) => a - b)) {
    for (const minute of [...fields.minute].sort((a, b) => a - b)) {
      for (const second of [...fields.second].sort((a, b) => a - b)) times.push(`${pad(hour)}:${pad(minute)}:${pad(second)}`);
    }
  }
  const mayFireOn = fireDayFilter(fields);
  // Each task is created when first asked: ordinary days need only the day's, clock-change days the whole expression's.
  let task: ReturnType<typeof nodeCron.createTask> | undefined;
  const matches = (instant: Date): boolean => {
    task ??= nodeCron.createTask(spec.open, () => undefined, { timezone: spec.timeZone });
    return task.match(instant);
  };
  // The same days at any time of day: the fields are "[second] minute hour day month weekday".
  let dayTask: ReturnType<typeof nodeCron.createTask> | undefined;
  const dayMatches = (instant: Date): boolean => {
    dayTask ??= nodeCron.createTask(`* * * ${spec.open.trim().split(/\s+/).slice(-3).join(' ')}`, () => undefined, { timezone: spec.timeZone });
    return dayTask.match(instant);
  };
  const close = () => {
    void task?.destroy();
    void dayTask?.destroy();
  };
  return { times, mayFireOn, matches, dayMatches, close };
}

/** Runs `use` with the given matcher (built for `spec`), or with one built for this call only. */
function withMatcher<T>(spec: ScheduleSpec, use: (matcher: Matcher) => T, given?: Matcher): T {
  if (given) return use(given);
  const matcher = scheduleMatcher(spec);
  try {
    return use(matcher);
  } finally {
    matcher.close();
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
function opensOn(matcher: Matcher, localDate: string, timeZone: string): ScheduledOpen[] {
  if (!matcher.mayFireOn(localDate)) return [];
  // A day the zone keeps one offset (nearly every day): each time of the expression happens once, and
  // node-cron matches it exactly when it matches the day. Testing each time instead cost an every-minute
  // schedule 1,440 instants and matches per day, and blocked the event loop for seconds.
  const offset = steadyOffsetOn(localDate, timeZone);
  if (offset !== undefined) {
    const [first] = matcher.times;
    if (first === undefined || !matcher.dayMatches(instantAtOffset(localDate, first, offset))) return [];
    return matcher.times.map((localTime) => ({ instant: instantAtOffset(localDate, localTime, offset), localTime, wall: 'once' }));
  }
  const opens: ScheduledOpen[] = [];
  for (const localTime of matcher.times) {
    const occurrences = occurrencesOf(localDate, localTime, timeZone);
    const [first] = occurrences;
    if (first) {
      if (matcher.matches(first)) opens.push({ instant: first, localTime, wall: occurrences.length > 1 ? 'twice' : 'once' });
      continue;
    }
    // Inside a spring-forward gap: past the gap, on a day node-cron's day fields allow.
    const instant = instantOf(localDate, localTime, timeZone);
    if (zonedParts(instant, timeZone).date === localDate && matcher.dayMatches(instant)) opens.push({ instant, localTime, wall: 'skipped' });
  }
  // A time moved past a gap may land on, or after, a later time of the same expression; at one
  // instant the time node-cron fires is kept.
  opens.sort((a, b) => a.instant.getTime() - b.instant.getTime() || Number(b.wall === 'once') - Number(a.wall === 'once'));
  return opens.filter((open, i) => open.instant.getTime() !== opens[i - 1]?.instant.getTime());
}

/**
 * The first scheduled open strictly after `now`, with how its local time occurs that day. `matcher`,
 * when given, is the schedule's own (scheduleMatcher of the same `open` and time zone).
 */
export function nextScheduledOpen(spec: ScheduleSpec, now: Date, matcher?: Matcher): ScheduledOpen | undefined {
  const next = (m: Matcher) => {
    const today = zonedParts(now, spec.timeZone).date;
    for (let day = 0; day < SEARCH_DAYS; day++) {
      const open = opensOn(m, addDays(today, day), spec.timeZone).find((o) => o.instant.getTime() > now.getTime());
      if (open) return open;
    }
    return undefined;
  };
  return withMatcher(spec, next, matcher);
}

/** The first scheduled open strictly after `now`, or undefined when the expression never fires. */
export function nextOpen(spec: ScheduleSpec, now: Date): Date | undefined {
  return nextScheduledOpen(spec, now)?.instant;
}

/** The last scheduled open at or before `now`, within the search range. */
export function previousOpen(spec: ScheduleSpec, now: Date, matcher?: Matcher): Date | undefined {
  const previous = (m: Matcher) => {
    const today = zonedParts(now, spec.timeZone).date;
    for (let day = 0; day < SEARCH_DAYS; day++) {
      let last: Date | undefined;
      for (const open of opensOn(m, addDays(today, -day), spec.timeZone)) {
        if (open.instant.getTime() > now.getTime()) break;
        last = open.instant;
      }
      if (last) return last;
    }
    return undefined;
  };
  return withMatcher(spec, previous, matcher);
}

/** The scheduled meeting whose window [open, open + duration) holds `now`, if any. */
export function openWindowAt(spec: ScheduleSpec, now: Date, matcher?: Matcher): MeetingWindow | undefined {
  const opensAt = previousOpen(spec, now, matcher);
  if (!opensAt) return undefined;
  const endsAt = new Date(opensAt.getTime() + spec.durationMinutes * MINUTE);
  if (now.getTime() >= endsAt.getTime()) return undefined;
  return { localDate: zonedParts(opensAt, spec.timeZone).date, opensAt, endsAt };
}

/** Every scheduled open on a local date, ascending. */
export function scheduledOpensOn(spec: ScheduleSpec, localDate: string): ScheduledOpen[] {
  return withMatcher(spec, (matcher) => opensOn(matcher, localDate, spec.timeZone));
}

/** The first scheduled open on a local date and its local time, or undefined on a day without one. */
export function scheduledOpenOn(spec: ScheduleSpec, localDate: string): ScheduledOpen | undefined {
  return scheduledOpensOn(spec, localDate)[0];
}

/** When the reminder of a meeting ending at `endsAt` is due, when the series has one. */
export function reminderAt(spec: ScheduleSpec, endsAt: Date): Date | undefined {
  return spec.remindBeforeEndMinutes === undefined ? undefined : new Date(endsAt.getTime() - spec.remindBeforeEndMinutes * MINUTE);
}
