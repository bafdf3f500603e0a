/**
 * What the checks of both layouts share: the finding, the options, and the rules for the datetime (its
 * form, its day and time, the zone's offset, the file's date).
 */
import { datetimeOf, isRealDate, occurrencesOf, zonedDatetime } from './datetime.ts';

export interface Finding {
  line: number;
  message: string;
  code: string;
}

export interface CheckOptions {
  /** IANA zone of the series; without it the UTC offset is not checked. */
  timeZone?: string;
  /** The date in the file's name (`.../2023-06-14.md`); without it the datetime's date is not compared. */
  fileDate?: string | undefined;
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})([+-])(\d{2}):(\d{2})$/;

/** The datetime's form, its day and time, and (with a zone) its offset; `keyLine` 0 when there is no `datetime` key. */
export function checkDatetime(value: string, keyLine: number, timeZone: string | undefined, findings: Finding[]): void {
  const line = keyLine || 1;
  if (value === '') {
    if (keyLine) findings.push({ line, code: 'invalid-datetime', message: 'datetime is empty' });
    return;
  }
  const m = DATETIME.exec(value);
  if (!m) {
    findings.push({
      line,
      code: 'invalid-datetime',
      message: `datetime "${value}" is not in the form YYYY-MM-DDTHH:MM:SS±HH:MM (local time with its UTC offset, never Z)`,
    });
    return;
  }
  const [, y, mo, d, h, mi, s, , oh, om] = m;
  if (!isRealDate(Number(y), Number(mo), Number(d))) {
    findings.push({ line, code: 'invalid-date', message: `datetime ${value}: ${y}-${mo}-${d} is not a day of the calendar` });
    return;
  }
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59 || Number(oh) > 14 || Number(om) > 59) {
    findings.push({ line, code: 'invalid-date', message: `datetime ${value}: not a valid time of day or UTC offset` });
    return;
  }
  if (timeZone === undefined) return;
  const expected = zonedDatetime(`${y}-${mo}-${d}`, `${h}:${mi}:${s}`, timeZone);
  // A time that happens twice (fall-back) is right with either offset: a meeting may be at the second.
  const occurrences = occurrencesOf(`${y}-${mo}-${d}`, `${h}:${mi}:${s}`, timeZone).map((instant) => datetimeOf(instant, timeZone));
  if (!occurrences.includes(value)) {
    const offset = value.slice(19);
    const real = expected.slice(19);
    const message =
      expected.slice(0, 19) === value.slice(0, 19)
        ? `UTC offset ${offset} is wrong for ${timeZone} on ${y}-${mo}-${d} (it is ${real}): write ${expected}`
        : `${h}:${mi}:${s} does not exist in ${timeZone} on ${y}-${mo}-${d} (clocks skip it): write ${expected}`;
    findings.push({ line, code: 'utc-offset', message });
  }
}

/** A datetime whose date is not the file's: front matter copied from the previous meeting. */
export function checkFileDate(value: string, keyLine: number, fileDate: string | undefined, findings: Finding[]): void {
  const date = /^(\d{4}-\d{2}-\d{2})T/.exec(value)?.[1];
  if (fileDate === undefined || date === undefined || date === fileDate) return;
  findings.push({
    line: keyLine || 1,
    code: 'datetime-date',
    message: `datetime is on ${date} but the file is named for ${fileDate} (front matter copied from another meeting?)`,
  });
}

/** The date a notes file is named for (`2023-06-14.md`, `app-compat-2022-03-16.md`), if any. */
export function fileDateOf(path: string): string | undefined {
  return /(\d{4}-\d{2}-\d{2})\.md$/.exec(path)?.[1];
}
