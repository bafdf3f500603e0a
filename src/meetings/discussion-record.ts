/**
 * The one record of a discussion meeting (records.ts: DiscussionRecord), changed only in the meeting's
 * turn of the queue: read, changed, written whole, so two people writing at once both land.
 */
import { whileClaimed } from './claim.ts';
import type { Series } from '../config.ts';
import { UserError } from '../errors.ts';
import type { MeetingContext } from './context.ts';
import type { DiscussionRecord, MeetingKey } from './records.ts';
import { parseMeetingKey } from './templates.ts';

export function emptyDiscussion(meetingKey: MeetingKey, now: string): DiscussionRecord {
  return { meetingKey, agenda: [], notes: [], tasks: [], decisions: [], updatedAt: now };
}

/** The series of a meeting key, refused (as a UserError) unless it writes the discussion layout. */
export function discussionSeries(ctx: MeetingContext, key: MeetingKey, command: string): Series {
  const series = ctx.series.find((s) => s.id === parseMeetingKey(key).seriesId);
  if (!series) throw new UserError(`There is no meeting series for ${key}.`);
  if (series.template !== 'discussion') {
    throw new UserError(`${command} is for meetings in the discussion layout; this series writes one block per person (use /update).`);
  }
  return series;
}

/**
 * Applies `change` to the meeting's record (an empty one when there is none yet) in its turn and writes
 * the result, unless `change` returned the record it was given. Resolves with `change`'s result.
 */
export function changeDiscussion<T>(
  ctx: MeetingContext,
  key: MeetingKey,
  change: (record: DiscussionRecord, now: string) => { record: DiscussionRecord; result: T } | Promise<{ record: DiscussionRecord; result: T }>,
): Promise<T> {
  // Another process's change to the same record comes before or after this one, never in between.
  return ctx.queue.run(key, () =>
    whileClaimed(ctx, `discussion:${key}`, async () => {
      const now = ctx.clock.now().toISOString();
      const current = (await ctx.store.discussions.get(key)) ?? emptyDiscussion(key, now);
      const { record, result } = await change(current, now);
      if (record !== current) await ctx.store.discussions.put({ ...record, updatedAt: now });
      return result;
    }),
  );
}
