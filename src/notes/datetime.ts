/**
 * Local date and time in an IANA zone <-> instants, with the zone's real UTC offset, through Intl only.
 *
 * The rule for local times that do not exist or exist twice is the one of RFC 5545 (iCalendar) and of
 * Temporal's default `disambiguation: 'compatible'`:
 * - a time inside a spring-forward gap is moved forward by the length of the gap, i.e. read with the
 *   offset in force before the change (America/New_York, 2022-03-13 02:30 -> 03:30:00-04:00);
 * - a time inside a fall-back overlap is the earlier of its two instants, i.e. it keeps the offset in
 *   force before the change (America/New_York, 2022-11-06 01:30 -> 01:30:00-04:00).
 * A meeting scheduled in a gap therefore starts at a time that really exists, and one scheduled in an
 * overlap starts at its first occurrence.
 */
import { NotesInputError } from './errors.ts';

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
        hour: '2-digit',
        minute: '2-digit',
        second: '2-digit',
        era: 'short',
      });
    } catch {
      throw new NotesInputError(
        'unknown-time-zone',
        `"${timeZone}" is not a time zone this system knows; use an IANA name such as Europe/Berlin or America/New_York.`,
      );
    }
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** Throws NotesInputError('unknown-time-zone') unless Intl knows the zone. */
export function assertTimeZone(timeZone: string): void {
  formatterFor(timeZone);
}

export function isTimeZone(timeZone: string): boolean {
  try {
    formatterFor(timeZone);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

function wallClock(ms: number, timeZone: string): Wall {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(ms))) parts[part.type] = part.value;
  const year = Number(parts['year']);
  return {
    year: parts['era'] === 'BC' || parts['era'] === 'B' ? 1 - year : year,
    month: Number(parts['month']),
    day: Number(parts['day']),
    hour: Number(parts['hour']),
    minute: Number(parts['minute']),
    second: Number(parts['second']),
  };
}

function wallAsUtc(wall: Wall): number {
  // setUTCFullYear, unlike Date.UTC, leaves years 0-99 alone.
  const date = new Date(0);
  date.setUTCFullYear(wall.year, wall.month - 1, wall.day);
  date.setUTCHours(wall.hour, wall.minute, wall.second, 0);
  return date.getTime();
}

/** Offset (ms, local minus UTC) of the zone at an instant, whole seconds. */
function offsetAt(ms: number, timeZone: string): number {
  const whole = Math.floor(ms / 1000) * 1000;
  return wallAsUtc(wallClock(whole, timeZone)) - whole;
}

const pad = (n: number, width = 2): string => String(Math.abs(n)).padStart(width, '0');

function formatOffset(offsetMs: number): string {
  const sign = offsetMs < 0 ? '-' : '+';
  // Offsets with seconds (local mean time before ~1900) are shown to the minute, truncated.
  const minutes = Math.floor(Math.abs(offsetMs) / 60_000);
  return `${sign}${pad(Math.floor(minutes / 60))}:${pad(minutes % 60)}`;
}

function formatDate(wall: Wall): string {
  const year = wall.year < 0 ? `-${pad(wall.year, 6)}` : pad(wall.year, 4);
  return `${year}-${pad(wall.month)}-${pad(wall.day)}`;
}

function formatTime(wall: Wall): string {
  return `${pad(wall.hour)}:${pad(wall.minute)}:${pad(wall.second)}`;
}

/** The local date (YYYY-MM-DD), time (HH:MM:SS) and offset (±HH:MM) of an instant in a zone. */
export function zonedParts(instant: Date, timeZone: string): { date: string; time: string; offset: string } {
  const ms = instant.getTime();
  if (Number.isNaN(ms)) throw new NotesInputError('invalid-date', 'That instant is not a valid date.');
  const wall = wallClock(ms, timeZone);
  return { date: formatDate(wall), time: formatTime(wall), offset: formatOffset(wallAsUtc(wall) - Math.floor(ms / 1000) * 1000) };
}

function parseLocal(localDate: string, localTime: string): Wall {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(localDate);
  if (!d) throw new NotesInputError('invalid-date', `"${localDate}" is not a date in the form YYYY-MM-DD.`);
  const t = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(localTime);
  if (!t) throw new NotesInputError('invalid-time', `"${localTime}" is not a time in the form HH:MM or HH:MM:SS.`);
  const wall: Wall = {
    year: Number(d[1]),
    month: Number(d[2]),
    day: Number(d[3]),
    hour: Number(t[1]),
    minute: Number(t[2]),
    second: Number(t[3] ?? '0'),
  };
  if (!isRealDate(wall.year, wall.month, wall.day)) {
    throw new NotesInputError('invalid-date', `${localDate} is not a day of the calendar.`);
  }
  if (wall.hour > 23 || wall.minute > 59 || wall.second > 59) {
    throw new NotesInputError('invalid-time', `${localTime} is not a time of day (00:00:00 to 23:59:59).`);
  }
  return wall;
}

/** True when year-month-day names a real day of the proleptic Gregorian calendar. */
export function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const lengths = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
  return day <= (lengths[month - 1] ?? 0);
}

const DAY = 86_400_000;

function sameWall(a: Wall, b: Wall): boolean {
  return a.year === b.year && a.month === b.month && a.day === b.day && a.hour === b.hour && a.minute === b.minute && a.second === b.second;
}

/**
 * Every instant at which a zone's clocks read a local date and time, ascending: one on an ordinary day,
 * none inside a spring-forward gap, two inside a fall-back overlap (the earlier with the offset before
 * the change).
 */
export function occurrencesOf(localDate: string, localTime: string, timeZone: string): Date[] {
  assertTimeZone(timeZone);
  const wall = parseLocal(localDate, localTime);
  const asUtc = wallAsUtc(wall);
  return [...new Set([offsetAt(asUtc - DAY, timeZone), offsetAt(asUtc + DAY, timeZone), offsetAt(asUtc, timeZone)])]
    .map((offset) => asUtc - offset)
    .filter((ms) => sameWall(wallClock(ms, timeZone), wall))
    .sort((a, b) => a - b)
    .map((ms) => new Date(ms));
}

/** The instant of a local date and time in a zone, by the gap/overlap rule at the top of this file. */
export function instantOf(localDate: string, localTime: string, timeZone: string): Date {
  const [earliest] = occurrencesOf(localDate, localTime, timeZone);
  if (earliest) return earliest;
  // No occurrence: the time falls in a gap; reading it with the offset before the gap moves it past the gap.
  const asUtc = wallAsUtc(parseLocal(localDate, localTime));
  return new Date(asUtc - offsetAt(asUtc - DAY, timeZone));
}

/** Wider than any offset a zone has had (local mean times reach about ±16 h). */
const WIDEST_OFFSET = 16 * 3_600_000;

/**
 * The zone's offset throughout a local date, or undefined when it may change on or near that day.
 * Read at both ends of a span that holds the whole local day under any offset, and in its middle.
 */
export function steadyOffsetOn(localDate: string, timeZone: string): number | undefined {
  const midnight = wallAsUtc(parseLocal(localDate, '00:00'));
  const offset = offsetAt(midnight - WIDEST_OFFSET, timeZone);
  const same = offsetAt(midnight + DAY / 2, timeZone) === offset && offsetAt(midnight + DAY + WIDEST_OFFSET, timeZone) === offset;
  return same ? offset : undefined;
}

/** The instant of a local date and time read with a given offset (from steadyOffsetOn). */
export function instantAtOffset(localDate: string, localTime: string, offsetMs: number): Date {
  return new Date(wallAsUtc(parseLocal(localDate, localTime)) - offsetMs);
}

/** `YYYY-MM-DDTHH:MM:SS±HH:MM` for a local date and time in a zone (the scheduled start of a meeting). */
export function zonedDatetime(localDate: string, localTime: string, timeZone: string): string {
  const { date, time, offset } = zonedParts(instantOf(localDate, localTime, timeZone), timeZone);
  return `${date}T${time}${offset}`;
}

/** The notes datetime of an instant: its local time in the zone, with the zone's offset then. */
export function datetimeOf(instant: Date, timeZone: string): string {
  const { date, time, offset } = zonedParts(instant, timeZone);
  return `${date}T${time}${offset}`;
}
