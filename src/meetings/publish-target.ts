/**
 * Where a meeting's notes are published and with which message: the series' publish templates filled
 * from the meeting's local date. Pure string work; the templates were checked when the config loaded.
 */
import { publishWhere, type PublishConfig } from '../config-publish.ts';
import type { Series } from '../config.ts';
import { fillTemplate, notesPathFor } from './templates.ts';

export interface PublishTarget {
  readonly where: string;
  readonly branch: string;
  readonly path: string;
  /** The whole commit message, with the sign-off trailer when the series asks for one. */
  readonly message: string;
}

/** "March 19, 2022": the date as unikraft/meeting-notes' commit messages write it. */
export function longDate(localDate: string): string {
  const [y, m, d] = localDate.split('-').map(Number);
  const date = new Date(Date.UTC(y ?? 0, (m ?? 1) - 1, d ?? 1));
  return new Intl.DateTimeFormat('en-US', { month: 'long', day: 'numeric', year: 'numeric', timeZone: 'UTC' }).format(date);
}

export function publishTarget(series: Series, publish: PublishConfig, localDate: string): PublishTarget {
  const [yyyy = '', mm = '', dd = ''] = localDate.split('-');
  const values = { series: series.id, yyyy, mm, dd, team: series.teams[0] ?? series.id, date: longDate(localDate) };
  const branch = publish.kind === 'git' && publish.branch !== undefined ? publish.branch : fillTemplate(publish.branchTemplate ?? '', values);
  const subject = fillTemplate(publish.message, values);
  const message = publish.signOff ? `${subject}\n\nSigned-off-by: ${publish.author.name} <${publish.author.email}>` : subject;
  return { where: publishWhere(publish), branch, path: notesPathFor(series, localDate), message };
}
