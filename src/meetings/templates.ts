/**
 * Meeting keys and the series' templates. Pure string work; the placeholders a template may use are
 * checked when the config is loaded (src/config.ts).
 */
import type { MeetingKey } from './records.ts';

const LOCAL_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** `seriesId/YYYY-MM-DD`: one meeting per series and local date. */
export function meetingKey(seriesId: string, localDate: string): MeetingKey {
  if (!LOCAL_DATE.test(localDate)) throw new RangeError(`meetingKey: "${localDate}" is not a YYYY-MM-DD date`);
  return `${seriesId}/${localDate}`;
}

export function parseMeetingKey(key: MeetingKey): { seriesId: string; localDate: string } {
  const slash = key.lastIndexOf('/');
  const seriesId = key.slice(0, slash);
  const localDate = key.slice(slash + 1);
  if (slash <= 0 || !LOCAL_DATE.test(localDate)) throw new RangeError(`parseMeetingKey: "${key}" is not seriesId/YYYY-MM-DD`);
  return { seriesId, localDate };
}

/** Replaces each `{name}` that `values` has; other text is kept as written. */
export function fillTemplate(template: string, values: Readonly<Record<string, string>>): string {
  return template.replace(/\{([^{}]*)\}/g, (whole, name: string) => values[name] ?? whole);
}

function dateValues(localDate: string): Record<string, string> {
  const match = LOCAL_DATE.exec(localDate);
  if (!match) throw new RangeError(`"${localDate}" is not a YYYY-MM-DD date`);
  return { yyyy: match[1] ?? '', mm: match[2] ?? '', dd: match[3] ?? '' };
}

export function threadNameFor(series: { readonly threadName: string }, localDate: string): string {
  return fillTemplate(series.threadName, dateValues(localDate));
}

/** `{series}` is the series' id (issue 23: one repository for several series). */
export function notesPathFor(series: { readonly id: string; readonly notesPath: string }, localDate: string): string {
  return fillTemplate(series.notesPath, { ...dateValues(localDate), series: series.id });
}

/** The attached file's name: the last part of the notes path. */
export function notesFileNameFor(series: { readonly id: string; readonly notesPath: string }, localDate: string): string {
  return notesPathFor(series, localDate).split('/').at(-1) ?? 'notes.md';
}

export function locationFor(series: { readonly location: string }, voiceChannelName: string): string {
  return fillTemplate(series.location, { voiceChannelName });
}
