/**
 * The agenda of a discussion meeting: add, list, move, remove. Before a meeting opens, its agenda is
 * the one of the series' next scheduled meeting (kept under that meeting's key until it opens).
 */
import type { Series } from '../config.ts';
import { UserError } from '../errors.ts';
import { zonedParts } from '../notes/datetime.ts';
import { nextOpen } from '../schedule/calendar.ts';
import type { MeetingContext } from './context.ts';
import { changeDiscussion, discussionSeries } from './discussion-record.ts';
import { MAX_AGENDA_ITEMS, cleanLine } from './discussion-text.ts';
import { currentMeeting } from './find-meeting.ts';
import type { AgendaItem, MeetingKey } from './records.ts';
import { meetingKey } from './templates.ts';

/** The meeting whose agenda is edited from a series' channel: the one open now, else the next scheduled one. */
export async function agendaMeetingKey(ctx: MeetingContext, series: Series): Promise<MeetingKey> {
  const open = await currentMeeting(ctx, series);
  if (open) return open.key;
  const next = nextOpen(series, ctx.clock.now());
  if (!next) throw new UserError('No meeting is open here and none is scheduled, so there is no agenda to edit.');
  return meetingKey(series.id, zonedParts(next, series.timeZone).date);
}

export async function agenda(ctx: MeetingContext, key: MeetingKey): Promise<readonly AgendaItem[]> {
  discussionSeries(ctx, key, '/agenda');
  return (await ctx.store.discussions.get(key))?.agenda ?? [];
}

export function addAgendaItem(ctx: MeetingContext, key: MeetingKey, text: string, by: string): Promise<readonly AgendaItem[]> {
  discussionSeries(ctx, key, '/agenda');
  const item = cleanLine(text, 'agenda item');
  return changeDiscussion(ctx, key, (record, now) => {
    if (record.agenda.length >= MAX_AGENDA_ITEMS) throw new UserError(`The agenda already has ${MAX_AGENDA_ITEMS} items, the limit; remove one first.`);
    const next = [...record.agenda, { text: item, addedBy: by, addedAt: now }];
    return { record: { ...record, agenda: next }, result: next };
  });
}

function checkPosition(agendaItems: readonly AgendaItem[], position: number, what: string): void {
  if (agendaItems.length === 0) throw new UserError('The agenda is empty.');
  if (!Number.isInteger(position) || position < 1 || position > agendaItems.length) {
    throw new UserError(`There is no ${what} ${position}; the agenda has items 1 to ${agendaItems.length} (see /agenda list).`);
  }
}

/** Moves item `from` to position `to` (both 1-based). */
export function moveAgendaItem(ctx: MeetingContext, key: MeetingKey, from: number, to: number): Promise<readonly AgendaItem[]> {
  discussionSeries(ctx, key, '/agenda');
  return changeDiscussion(ctx, key, (record) => {
    checkPosition(record.agenda, from, 'item');
    checkPosition(record.agenda, to, 'position');
    const next = [...record.agenda];
    const [moved] = next.splice(from - 1, 1);
    if (moved) next.splice(to - 1, 0, moved);
    return { record: { ...record, agenda: next }, result: next };
  });
}

/** Removes item `position` (1-based); resolves with the removed item and the agenda left. */
export function removeAgendaItem(ctx: MeetingContext, key: MeetingKey, position: number): Promise<{ removed: AgendaItem; agenda: readonly AgendaItem[] }> {
  discussionSeries(ctx, key, '/agenda');
  return changeDiscussion(ctx, key, (record) => {
    checkPosition(record.agenda, position, 'item');
    const next = record.agenda.filter((_, i) => i !== position - 1);
    const removed = record.agenda[position - 1] as AgendaItem;
    return { record: { ...record, agenda: next }, result: { removed, agenda: next } };
  });
}
