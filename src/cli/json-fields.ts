/**
 * JSON fields both layouts of `scribe render` read: single-line strings, and the meeting's start, given
 * either as the datetime written in the notes or as a local date and time in the series' zone.
 */
import { z } from 'zod';
import { zonedDatetime } from '../notes/datetime.ts';

const DATETIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$/;

/** A string without a line break; `base` may carry checks of its own, run first. */
export const line = (base = z.string()) => base.refine((s) => !/[\r\n]/.test(s), 'must be a single line (no newline)');
export const nonBlankLine = () => line().refine((s) => s.trim() !== '', 'must not be empty');

export const startFields = {
  datetime: z.string().regex(DATETIME, 'must look like 2022-03-19T09:00:00+01:00').optional(),
  date: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'must look like 2022-03-19')
    .optional(),
  time: z
    .string()
    .regex(/^\d{2}:\d{2}(:\d{2})?$/, 'must look like 09:00 or 09:00:00')
    .optional(),
  timeZone: z.string().min(1).optional(),
};

interface Start {
  datetime?: string | undefined;
  date?: string | undefined;
  time?: string | undefined;
  timeZone?: string | undefined;
}

/** Exactly one of `datetime` or all of `date`, `time` and `timeZone`. */
export function refineStart(meeting: Start, ctx: z.RefinementCtx): void {
  const local = [meeting.date, meeting.time, meeting.timeZone].filter((v) => v !== undefined).length;
  if (meeting.datetime !== undefined && local > 0) {
    ctx.addIssue({ code: 'custom', path: ['datetime'], message: 'give either "datetime" or "date"/"time"/"timeZone", not both' });
  } else if (meeting.datetime === undefined && local !== 3) {
    const missing = (['date', 'time', 'timeZone'] as const).find((key) => meeting[key] === undefined) ?? 'datetime';
    ctx.addIssue({ code: 'custom', path: [missing], message: 'is required (or give "datetime")' });
  }
}

/** The notes datetime of a validated start (throws NotesInputError for an unknown zone or a date that does not exist). */
export function datetimeOf(meeting: Start): string {
  return meeting.datetime ?? zonedDatetime(meeting.date ?? '', meeting.time ?? '', meeting.timeZone ?? '');
}
